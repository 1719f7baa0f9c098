package dev.otc.e2ee.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.otc.e2ee.internal.session.CallbackRegistry;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The routing every native callback entry point goes through. */
class CallbackRegistryTest {
  private final CallbackRegistry<List<String>> registry = new CallbackRegistry<>();

  @Test
  void routesByIdOnlyWhileBound() {
    long id = CallbackRegistry.reserve();
    Pointer userData = CallbackRegistry.userData(id);
    List<String> target = new ArrayList<>();

    registry.dispatch(userData, "test", t -> t.add("before bind"));
    registry.bind(id, target);
    registry.dispatch(userData, "test", t -> t.add("bound"));
    registry.dispatch(CallbackRegistry.userData(CallbackRegistry.reserve()), "test", t -> t.add("other id"));
    registry.dispatch(null, "test", t -> t.add("no user data"));
    assertThat(registry.size()).isEqualTo(1);
    registry.unregister(id);
    registry.dispatch(userData, "test", t -> t.add("after unregister"));

    assertThat(target).containsExactly("bound");
    assertThat(registry.size()).isZero();
  }

  @Test
  void nothingThrownByTheTargetEscapes() {
    long id = CallbackRegistry.reserve();
    registry.bind(id, new ArrayList<>());
    List<String> reached = new ArrayList<>();
    assertThatCode(() -> {
      registry.dispatch(CallbackRegistry.userData(id), "test", t -> {
        throw new IllegalStateException("listener bug");
      });
      registry.dispatch(CallbackRegistry.userData(id), "test", t -> {
        throw new StackOverflowError();
      });
      reached.add("after");
    }).doesNotThrowAnyException();
    assertThat(reached).containsExactly("after");
    registry.unregister(id);
  }

  @Test
  void nullPointerArgumentsReadAsAbsent() {
    Pointer nul = new Pointer();
    Pointer some = CallbackRegistry.userData(42);
    assertThat(CallbackRegistry.orNull(nul)).isNull();
    assertThat(CallbackRegistry.orNull((Pointer) null)).isNull();
    assertThat(CallbackRegistry.orNull(some)).isSameAs(some);
    assertThat(CallbackRegistry.present(nul)).isFalse();
    assertThat(CallbackRegistry.present(null)).isFalse();
    assertThat(CallbackRegistry.present(some)).isTrue();
  }
}
