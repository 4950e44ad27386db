// Servers for the probe lab (run inside the lab's server namespace by netns-lab.sh).
//   198.18.201.2:8080  200 "hello from the netdiag lab"; /big -> 8 KiB incl. binary bytes
//   198.18.201.2:8081  503 "backend unavailable"
//   127.0.0.1:9090     200, bound to loopback only (probe to 198.18.201.2:9090 -> refused)
//   198.18.201.2:5399/udp  DNS stub answering SERVFAIL to everything (dnsmasq's upstream for broken.test)
import dgram from "node:dgram";
import http from "node:http";

function serve(host: string, port: number, handler: http.RequestListener): void {
  http.createServer(handler).listen(port, host);
}

serve("198.18.201.2", 8080, (req, res) => {
  if (req.url === "/big") {
    const body = Buffer.alloc(8192);
    for (let i = 0; i < body.length; i++) body[i] = i % 256;
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(body);
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(`hello from the netdiag lab (host ${req.headers.host ?? "-"})\n`);
});
serve("198.18.201.2", 8081, (_req, res) => {
  res.writeHead(503, { "content-type": "text/plain" });
  res.end("backend unavailable\n");
});
serve("127.0.0.1", 9090, (_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("loopback only\n");
});

const dns = dgram.createSocket("udp4");
dns.on("message", (msg, rinfo) => {
  if (msg.length < 12) return;
  // find the end of the first question: QNAME labels, then QTYPE + QCLASS
  let off = 12;
  while (off < msg.length && msg[off] !== 0) off += (msg[off] ?? 0) + 1;
  const qend = Math.min(off + 5, msg.length);
  const reply = Buffer.alloc(qend);
  msg.copy(reply, 0, 0, qend);
  const rd = (msg[2] ?? 0) & 0x01;
  reply[2] = 0x80 | ((msg[2] ?? 0) & 0x78) | rd; // QR, opcode, RD
  reply[3] = 0x80 | 0x02; // RA, RCODE=SERVFAIL
  reply.writeUInt16BE(1, 4);
  reply.writeUInt16BE(0, 6);
  reply.writeUInt16BE(0, 8);
  reply.writeUInt16BE(0, 10);
  dns.send(reply, rinfo.port, rinfo.address);
});
dns.bind(5399, "198.18.201.2");
