// The SDK outside Tencent's cloud probes the metadata address on every request (~64 ms) unless told it is in the
// cloud; tests talk to the local cloud, so say so (see the wire-protocol notes).
process.env.TENCENTCLOUD = 'true';
