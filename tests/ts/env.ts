// What the TypeScript client tests share: the facade they talk to (started
// by tests/polyglot_test.go, which passes its address, the NATS URL and a
// sandbox user's token in the environment) and one transport per protocol.
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";

export function required(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these tests through "go test ./tests" (TestTypeScriptClients)`);
  }
  return v;
}

export const facadeUrl = required("FACADE_URL");
export const natsUrl = required("NATS_URL");
export const token = required("FACADE_TOKEN");

// The caller's Cloudreve token travels as a bearer token on every call.
export const bearer: Interceptor = (next) => async (req) => {
  req.header.set("Authorization", `Bearer ${token}`);
  return next(req);
};

// Both wire protocols, each over HTTP/2 without TLS (client streaming needs
// HTTP/2 with the Connect protocol too).
export const protocols: { name: string; transport: Transport }[] = [
  { name: "connect", transport: createConnectTransport({ baseUrl: facadeUrl, httpVersion: "2", interceptors: [bearer] }) },
  { name: "grpc", transport: createGrpcTransport({ baseUrl: facadeUrl, interceptors: [bearer] }) },
];

// A timeout for one test's calls, so a hang fails instead of waiting forever.
export const callTimeoutMs = 30_000;
