// One call over TLS: the facade's certificate is signed by a CA made by the
// Go test (FACADE_TLS_CA), and HTTP/2 is negotiated by ALPN.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";

import { WorkflowService, TaskCategory } from "@cloudreve-connect/facade-client/cloudreve/workflow/v1/workflow_pb";
import { bearer, callTimeoutMs, required } from "./env.js";

const tlsUrl = required("FACADE_TLS_URL");
const ca = readFileSync(required("FACADE_TLS_CA"));

for (const [name, transport] of [
  ["grpc", createGrpcTransport({ baseUrl: tlsUrl, nodeOptions: { ca }, interceptors: [bearer] })],
  ["connect", createConnectTransport({ baseUrl: tlsUrl, httpVersion: "2", nodeOptions: { ca }, interceptors: [bearer] })],
] as const) {
  test(`${name} over TLS: ListTasks`, async () => {
    const page = await createClient(WorkflowService, transport).listTasks(
      { pageSize: 10, category: TaskCategory.GENERAL },
      { timeoutMs: callTimeoutMs },
    );
    assert.ok(Array.isArray(page.tasks));
  });
}
