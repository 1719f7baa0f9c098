#!/usr/bin/env python3
# Tables of the media pipeline benchmark for benchmarks/README.md.
# Usage: media_table.py <dir with media.json (JMH -rf json) and media.txt (JMH stdout with the
# [paced 30 fps] and [codec cost] lines)>
# The E2EE-per-frame estimate interpolates the native-only hot encrypt costs of the issue 9 table
# (README, "Lean frame call") at the measured bytes per frame, and counts decrypt as much again.
import json,re,sys
d=json.load(open(sys.argv[1] + '/media.json'))
rows={}
for r in d:
    p=r['params']; key=(p['codec'],p['resolution'],p['e2ee'])
    rows[key]=(r['primaryMetric']['score'], r['secondaryMetrics']['cpuUsPerFrame']['score'])
paced={}
for line in open(sys.argv[1] + '/media.txt'):
    m=re.match(r'\[paced 30 fps\] (\S+) (\S+) e2ee=(\S+): (\d+) frames rendered of 90, latency p50 ([\d.]+) ms p99 ([\d.]+) ms, (\d+) kbit/s, (\d+) bytes',line)
    if m: paced[(m[1],m[2],m[3])]=m.groups()[3:]
cost={}
for line in open(sys.argv[1] + '/media.txt'):
    m=re.match(r'\[codec cost\] (\S+) (\S+) e2ee=(\S+): encode ([\d.]+) ms per frame \((\d+) frames\), decode ([\d.]+) ms per frame \((\d+) frames\)',line)
    if m: cost[(m[1],m[2],m[3])]=(float(m[4]),int(m[5]),float(m[6]),int(m[7]))
# native-only hot encrypt+decrypt ns, interpolated linearly between 1200 and 10240 / 10240 and 102400 (README issue 9 table)
enc={1200:116,10240:532,102400:4736}
def interp(t,n):
    ks=sorted(t)
    for a,b in zip(ks,ks[1:]):
        if n<=b: return t[a]+(t[b]-t[a])*(n-a)/(b-a)
    return t[ks[-1]]
print("| codec | size | E2EE | capture->render, one frame at a time (µs) | process CPU per frame (µs) | paced 30 fps latency p50 / p99 (ms) | bitrate (kbit/s) | bytes per frame |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for c in ['VP8','VP9','H264']:
    for res in ['640x360','1280x720']:
        for e in ['true','false']:
            if (c,res,e) not in rows: continue
            lat,cpu=rows[(c,res,e)]; pc=paced.get((c,res,e))
            print(f"| {c} | {res} | {'on' if e=='true' else 'off'} | {lat:,.0f} | {cpu:,.0f} | {pc[1]} / {pc[2]} | {pc[3]} | {pc[4]} |" if pc else f"| {c} | {res} | {e} | {lat:,.0f} | {cpu:,.0f} | - | - | - |")
print()
print("| codec | size | CPU/frame on - off (µs) | share of on (from the difference) | E2EE per frame from the crypto benchmark (µs, encrypt+decrypt, native hot) | share (from the crypto benchmark) |")
print("|---|---|---:|---:|---:|---:|")
for c in ['VP8','VP9','H264']:
    for res in ['640x360','1280x720']:
        if (c,res,'true') not in rows or (c,res,'false') not in rows: continue
        on=rows[(c,res,'true')][1]; off=rows[(c,res,'false')][1]
        size=int(paced[(c,res,'true')][4])
        e2=2*interp(enc,size)/1000  # decrypt costs about the same as encrypt at these sizes
        print(f"| {c} | {res} | {on-off:+,.0f} | {(on-off)/on*100:+.1f}% | {e2:.2f} | {e2/on*100:.3f}% |")
if cost:
    print()
    print("| codec | size | E2EE | encode (ms per frame) | decode (ms per frame) | frames | E2EE encrypt+decrypt (µs, crypto benchmark) | E2EE share of encode+decode+E2EE |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for c in ['VP8','VP9','H264']:
        for res in ['640x360','1280x720']:
            for e in ['true','false']:
                if (c,res,e) not in cost: continue
                en,nf,de,nd=cost[(c,res,e)]
                if e=='true' and (c,res,e) in paced:
                    e2=2*interp(enc,int(paced[(c,res,e)][4]))/1000
                    tail=f"{e2:.2f} | {e2/(en*1000+de*1000+e2)*100:.3f}%"
                else:
                    tail="- | -"
                print(f"| {c} | {res} | {'on' if e=='true' else 'off'} | {en:.2f} | {de:.2f} | {min(nf,nd):,} | {tail} |")
