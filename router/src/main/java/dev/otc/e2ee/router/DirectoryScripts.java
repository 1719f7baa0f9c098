package dev.otc.e2ee.router;

/**
 * The Lua scripts of {@link NodeDirectory}. Every decision that several nodes could race on (who owns a session, a
 * move away from a dead or draining owner) is one script, which Redis runs atomically: Redis is the only arbiter, the
 * nodes run no consensus of their own. Single Redis (or a primary with replicas), not Redis Cluster: the scripts read
 * node keys they are not given in KEYS.
 *
 * <p>Keys: {@code otc:node:<id>} (JSON of the node, expires after the node TTL), {@code otc:nodes} (set of node ids,
 * pruned of dead ones), {@code otc:owned} (hash node id -> sessions assigned), {@code otc:session:<sid>} (hash: owner
 * and the session's settings), {@code otc:streams:<sid>} (hash stream id -> stream JSON, for REST on any node).
 */
final class DirectoryScripts {

    private DirectoryScripts() {
    }

    /** The least loaded live node that is not draining, has room, and is not {@code exclude}: returns id, media url. */
    private static final String PICK = """
            local function pick(exclude)
              local best, bestLoad, bestUrl
              for _, id in ipairs(redis.call('SMEMBERS', 'otc:nodes')) do
                if id ~= exclude then
                  local v = redis.call('GET', 'otc:node:' .. id)
                  if v then
                    local n = cjson.decode(v)
                    if not n.draining then
                      local owned = tonumber(redis.call('HGET', 'otc:owned', id) or '0')
                      if owned < n.capacity then
                        local load = owned / n.capacity
                        if best == nil or load < bestLoad then best, bestLoad, bestUrl = id, load, n.media end
                      end
                    end
                  end
                end
              end
              return best, bestUrl
            end
            local function reassign(key, from, to)
              redis.call('HINCRBY', 'otc:owned', from, -1)
              redis.call('HINCRBY', 'otc:owned', to, 1)
              redis.call('HSET', key, 'owner', to)
            end
            """;

    /** KEYS: session. ARGV: e2ee, mode, archive, location, created, expire ms. Returns {owner, url} or {} when full. */
    static final String CREATE = PICK + """
            local id, url = pick('')
            if not id then return {} end
            redis.call('HINCRBY', 'otc:owned', id, 1)
            redis.call('HSET', KEYS[1], 'owner', id, 'e2ee', ARGV[1], 'mode', ARGV[2], 'archive', ARGV[3],
                       'location', ARGV[4], 'created', ARGV[5])
            if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[6]) end
            return {id, url}
            """;

    /**
     * A CONNECT for a session this node does not hold. KEYS: session, streams. ARGV: self id, '1' if self may take
     * the session. Returns {} (unknown session), {'none'} (no live node can take it), or {kind, url, e2ee, mode,
     * archive, location, created, stream ids...} with kind 'local' (self owns it; the stream ids are those the
     * session had, now dead, kept so their publishers can resume them) or 'redirect' (url = the owner's).
     * The owner changes only when its entry expired (dead) or it is draining: to self when self may, else to the
     * least loaded other node.
     */
    static final String RESOLVE = PICK + """
            local h = redis.call('HMGET', KEYS[1], 'owner', 'e2ee', 'mode', 'archive', 'location', 'created')
            local owner = h[1]
            if not owner then return {} end
            local kind, url = 'local', ''
            local n = nil
            if owner ~= ARGV[1] then
              local v = redis.call('GET', 'otc:node:' .. owner)
              n = v and cjson.decode(v)
            end
            if n and not n.draining then
              kind, url = 'redirect', n.media
            elseif ARGV[2] == '1' then
              if owner ~= ARGV[1] then reassign(KEYS[1], owner, ARGV[1]) end
            else
              local id, u = pick(ARGV[1])
              if not id then return {'none'} end
              reassign(KEYS[1], owner, id)
              kind, url = 'redirect', u
            end
            local out = {kind, url, h[2], h[3], h[4], h[5], h[6]}
            if kind == 'local' then
              for _, s in ipairs(redis.call('HKEYS', KEYS[2])) do table.insert(out, s) end
              redis.call('DEL', KEYS[2])
            end
            return out
            """;

    /** Draining: KEYS: session. ARGV: self id. Returns {'moved', url}, {'notmine', owner id} or {} (no node free). */
    static final String MOVE = PICK + """
            local owner = redis.call('HGET', KEYS[1], 'owner')
            if owner ~= ARGV[1] then return {'notmine', owner or ''} end
            local id, url = pick(ARGV[1])
            if not id then return {} end
            reassign(KEYS[1], ARGV[1], id)
            return {'moved', url}
            """;

    /**
     * Heartbeat, for the sessions this node holds. ARGV: self id, expire ms (0 = none), session ids. Extends the
     * keys of those still owned; returns {sid, owner id} for each one that Redis gives to another node (or to none).
     */
    static final String REFRESH = """
            local lost = {}
            local ttl = tonumber(ARGV[2])
            for i = 3, #ARGV do
              local key = 'otc:session:' .. ARGV[i]
              local owner = redis.call('HGET', key, 'owner')
              if owner == ARGV[1] then
                if ttl > 0 then
                  redis.call('PEXPIRE', key, ttl)
                  redis.call('PEXPIRE', 'otc:streams:' .. ARGV[i], ttl)
                end
              else
                table.insert(lost, ARGV[i])
                table.insert(lost, owner or '')
              end
            end
            return lost
            """;

    /**
     * A session this node holds whose key Redis no longer has (Redis restarted empty, or the key was deleted): writes
     * it back with this node as owner, unless another node wrote it meanwhile. KEYS: session. ARGV: self id, e2ee,
     * mode, archive, location, created, expire ms. Returns 1 when written.
     */
    static final String RESTORE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HINCRBY', 'otc:owned', ARGV[1], 1)
            redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'e2ee', ARGV[2], 'mode', ARGV[3], 'archive', ARGV[4],
                       'location', ARGV[5], 'created', ARGV[6])
            if tonumber(ARGV[7]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
            return 1
            """;

    /** The live nodes' JSON; prunes dead ids from the set. */
    static final String NODES = """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', 'otc:nodes')) do
              local v = redis.call('GET', 'otc:node:' .. id)
              if v then table.insert(out, v) else redis.call('SREM', 'otc:nodes', id) end
            end
            return out
            """;

    /** An expired session: KEYS: session, streams. ARGV: self id. Deletes both if self still owns it. */
    static final String RELEASE = """
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
              redis.call('DEL', KEYS[1], KEYS[2])
              redis.call('HINCRBY', 'otc:owned', ARGV[1], -1)
              return 1
            end
            return 0
            """;
}
