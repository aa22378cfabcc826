#!/usr/bin/env python3
"""Hand-built PSAMP packet reports (IPFIX IE 315 with IE 302 selectorId and IE 312, and a NetFlow
v9 vendor variant with field 315) in a pcap, one export datagram per packet, for tshark to decode
independently of goflow-exporter (tools/truth.py makes the truth file).

Each report's section is a real packet layout: Ethernet, 802.1Q, QinQ, MPLS stacks, Ethernet over
MPLS with and without pseudowire control word, IPv4 with options, IPv6, TCP/UDP/ICMP/ICMPv6.
Selector options (IE 302/304/305/306: 1 in 100) come first, so the rate is known online.
Left out because Wireshark 4.0 decodes them otherwise (covered by the Java fixtures instead):
IE 313/314 and v9 field 104 (not dissected), IPv6 extension chains (truth keys on the fixed
header's next header), fragments (not dissected without reassembly), Ethernet over MPLS without
control word (Wireshark leaves an MPLS payload whose first nibble is not 0, 1, 4 or 6 undecoded).

usage: gen.py OUT.pcap   (deterministic; standard library only)
"""
import struct
import sys

EXPORT_TIME = 1_700_000_000


def mac(n):
    return bytes([2, 0, 0, 0, 0, n])


def eth(ethertype, payload, d=1, s=2):
    return mac(d) + mac(s) + struct.pack('!H', ethertype) + payload


def vlan(vid, ethertype, payload):
    return struct.pack('!HH', vid, ethertype) + payload


def mpls(labels, payload):
    out = b''
    for i, label in enumerate(labels):
        bottom = 1 if i == len(labels) - 1 else 0
        out += struct.pack('!I', (label << 12) | (bottom << 8) | 64)
    return out + payload


def ip4(src, dst, proto, l4, total=None, options=b''):
    ihl = 5 + len(options) // 4
    total = total if total is not None else ihl * 4 + len(l4)
    hdr = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0x20, total, 7, 0x4000, 64, proto, 0,
                      bytes(map(int, src.split('.'))), bytes(map(int, dst.split('.'))))
    return hdr + options + l4


def ip6addr(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def ip6(src, dst, nxt, rest, plen=None):
    plen = plen if plen is not None else len(rest)
    return struct.pack('!IHBB', 0x6000_0000, plen, nxt, 64) + ip6addr(src) + ip6addr(dst) + rest


def tcp(sp, dp, flags=0x18):
    return struct.pack('!HHIIBBHHH', sp, dp, 1, 1, 0x50, flags, 1000, 0, 0)


def udp(sp, dp, n=8):
    return struct.pack('!HHHH', sp, dp, n, 0)


def icmp(t, c):
    return struct.pack('!BBHI', t, c, 0, 0)


# (description, frame, wire L3 length override)
FRAMES = [
    ('ethernet ipv4 tcp', eth(0x0800, ip4('10.0.1.1', '198.51.100.1', 6, tcp(40001, 443), total=1500))),
    ('802.1Q ipv4 udp', eth(0x8100, vlan(100, 0x0800, ip4('10.0.1.2', '198.51.100.2', 17, udp(5353, 53), total=80)))),
    ('QinQ ipv4 tcp', eth(0x88A8, vlan(200, 0x8100, vlan(300, 0x0800, ip4('10.0.1.3', '198.51.100.3', 6, tcp(40003, 22), total=60))))),
    ('mpls x2 ipv4 udp', eth(0x8847, mpls([100, 101], ip4('10.0.1.4', '198.51.100.4', 17, udp(4000, 4001), total=200)))),
    ('mpls ipv6 tcp', eth(0x8847, mpls([16], ip6('2001:db8::4', '2001:db8:1::4', 6, tcp(40005, 80), plen=1000)))),
    ('EoMPLS with control word', eth(0x8847, mpls([200, 201], b'\0\0\0\0' + b'\x0a\x0b\x0c\x0d\x0e\x0f\x0a\x0b\x0c\x0d\x0e\x10\x08\x00' + ip4('10.0.1.6', '198.51.100.6', 6, tcp(40006, 8080), total=576)))),
    ('ipv4 options icmp', eth(0x0800, ip4('10.0.1.7', '198.51.100.7', 1, icmp(8, 0), total=84, options=b'\x01\x01\x01\x00'))),
    ('icmpv6', eth(0x86DD, ip6('2001:db8::b', '2001:db8:1::b', 58, icmp(128, 0), plen=64))),
]



def ipfix_msg(seq, sets, domain=1):
    body = b''.join(sets)
    return struct.pack('!HHIII', 10, 16 + len(body), EXPORT_TIME, seq, domain) + body


def ipfix_set(set_id, content):
    pad = (-len(content)) % 4
    content += b'\0' * pad
    return struct.pack('!HH', set_id, 4 + len(content)) + content


def template(tid, fields, scope=None):
    if scope is None:
        return ipfix_set(2, struct.pack('!HH', tid, len(fields)) + b''.join(struct.pack('!HH', f, l) for f, l in fields))
    return ipfix_set(3, struct.pack('!HHH', tid, len(fields), scope) + b''.join(struct.pack('!HH', f, l) for f, l in fields))


def varlen(b):
    return (bytes([len(b)]) if len(b) < 255 else b'\xff' + struct.pack('!H', len(b))) + b


def v9_msg(seq, flowsets, count):
    body = b''.join(flowsets)
    return struct.pack('!HHIIII', 9, count, 100_000, EXPORT_TIME, seq, 1) + body


def v9_set(set_id, content):
    content += b'\0' * ((-len(content)) % 4)
    return struct.pack('!HH', set_id, 4 + len(content)) + content


def main(out):
    datagrams = []   # (dst port, payload)
    seq = 0
    # selector 7: 1 in 100 (systematic count-based), announced before any report
    opts = template(400, [(302, 8), (304, 2), (305, 4), (306, 4)], scope=1)
    optdata = ipfix_set(400, struct.pack('!QHII', 7, 1, 1, 99))
    tmpl = template(401, [(302, 8), (312, 2), (315, 0xFFFF)])
    datagrams.append((4739, ipfix_msg(seq, [opts, optdata, tmpl])))
    for desc, frame in FRAMES:
        rec = struct.pack('!QH', 7, len(frame) + 4) + varlen(frame)
        datagrams.append((4739, ipfix_msg(seq, [ipfix_set(401, rec)])))
        seq += 1
    # NetFlow v9 vendor variant: field 315 dataLinkFrameSection fixed 96 bytes (frame zero-padded)
    # with field 312 dataLinkFrameSize
    v9t = v9_set(0, struct.pack('!HH', 256, 2) + struct.pack('!HHHH', 312, 2, 315, 96))
    frames = [FRAMES[1][1], FRAMES[4][1]]
    recs = b''.join(struct.pack('!H', len(f)) + f + b'\0' * (96 - len(f)) for f in frames)
    datagrams.append((2055, v9_msg(1, [v9t, v9_set(256, recs)], 1 + len(frames))))

    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (port, payload) in enumerate(datagrams):
            udph = struct.pack('!HHHH', 40000, port, 8 + len(payload), 0)
            iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udph) + len(payload), i, 0, 64, 17, 0,
                              bytes([192, 0, 2, 50]), bytes([127, 0, 0, 1]))
            frame = b'\0' * 12 + b'\x08\x00' + iph + udph + payload
            f.write(struct.pack('<IIII', EXPORT_TIME + i, 0, len(frame), len(frame)))
            f.write(frame)


if __name__ == '__main__':
    main(sys.argv[1])
