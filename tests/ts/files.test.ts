// Files from TypeScript, over Connect and gRPC: a client-streaming upload and
// a server-streaming download of the same bytes, whole and by range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";

import { FileService, type UploadFileRequest } from "@cloudreve-connect/facade-client/cloudreve/file/v1/file_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { callTimeoutMs, protocols } from "./env.js";

const content = randomBytes(300 * 1024 + 17);
const sha256 = createHash("sha256").update(content).digest("hex");

for (const { name, transport } of protocols) {
  const client = createClient(FileService, transport);
  const uri = `cloudreve://my/ts-upload-${name}.bin`;

  test(`${name}: UploadFile streams a file in, DownloadFile streams it back`, async () => {
    async function* requests(): AsyncIterable<MessageInitShape<GenMessage<UploadFileRequest>>> {
      yield { payload: { case: "header", value: { uri, size: BigInt(content.length) } } };
      for (let off = 0; off < content.length; off += 64 * 1024) {
        yield { payload: { case: "chunk", value: content.subarray(off, off + 64 * 1024) } };
      }
    }
    const uploaded = await client.uploadFile(requests(), { timeoutMs: callTimeoutMs });
    assert.equal(uploaded.sha256, sha256);
    assert.equal(uploaded.file?.size, BigInt(content.length));

    const whole = await download(client, { uri });
    assert.equal(whole.info?.size, BigInt(content.length));
    assert.equal(createHash("sha256").update(whole.data).digest("hex"), sha256);

    const part = await download(client, { uri, offset: 1000n, length: 5000n });
    assert.equal(part.info?.offset, 1000n);
    assert.deepEqual(part.data, content.subarray(1000, 6000));
  });
}

async function download(client: ReturnType<typeof createClient<typeof FileService>>, req: { uri: string; offset?: bigint; length?: bigint }) {
  let info;
  const parts: Uint8Array[] = [];
  for await (const res of client.downloadFile(req, { timeoutMs: callTimeoutMs })) {
    if (res.info) {
      assert.equal(info, undefined, "info sent twice");
      info = res.info;
    }
    parts.push(res.data);
  }
  return { info, data: Buffer.concat(parts) };
}
