// The workflow contract from TypeScript, over Connect and gRPC: an archive
// followed to completion by WatchTask and by a JetStream consumer, a paged
// task list, and the typed details of failed calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { equals, fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { connect as natsConnect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

import { WorkflowService, TaskCategory } from "@cloudreve-connect/facade-client/cloudreve/workflow/v1/workflow_pb";
import { TaskStatus, TaskType } from "@cloudreve-connect/facade-client/cloudreve/task/v1/task_pb";
import { Change, TaskEventSchema, type TaskEvent } from "@cloudreve-connect/facade-client/cloudreve/events/v1/task_event_pb";
import { UpstreamErrorSchema } from "@cloudreve-connect/facade-client/cloudreve/common/v1/errors_pb";
import { ErrorInfoSchema } from "@cloudreve-connect/facade-client/google/rpc/error_details_pb";
import { ViolationsSchema } from "@cloudreve-connect/facade-client/buf/validate/validate_pb";
import { callTimeoutMs, natsUrl, protocols } from "./env.js";

const finished = (ev: TaskEvent) => ev.changes.includes(Change.FINISHED);

for (const { name, transport } of protocols) {
  const client = createClient(WorkflowService, transport);

  test(`${name}: an archive is followed by WatchTask and on JetStream until completed`, async () => {
    const dst = `cloudreve://my/ts-${name}.zip`;
    const { task } = await client.createArchive(
      { src: ["cloudreve://my/a.txt", "cloudreve://my/b.txt"], dst },
      { timeoutMs: callTimeoutMs },
    );
    assert.ok(task);
    assert.equal(task.type, TaskType.CREATE_ARCHIVE);
    assert.equal(task.status, TaskStatus.QUEUED);
    assert.equal(task.summary?.dst, dst);

    const streamed: TaskEvent[] = [];
    for await (const res of client.watchTask({ id: task.id }, { timeoutMs: callTimeoutMs })) {
      assert.ok(res.event);
      streamed.push(res.event);
    }
    const last = streamed[streamed.length - 1];
    assert.equal(last.task?.status, TaskStatus.COMPLETED, `stream ended with ${statuses(streamed)}`);
    assert.ok(finished(last));

    // The same task's events, as any JetStream consumer reads them.
    const nc = await natsConnect({ servers: natsUrl });
    try {
      const js = jetstream(nc);
      const consumer = await js.consumers.get("CLOUDREVE_TASKS", {
        filter_subjects: [`cloudreve.v1.tasks.*.create_archive.${task.id}`],
      });
      const fromJS: TaskEvent[] = [];
      while (fromJS.length === 0 || !finished(fromJS[fromJS.length - 1])) {
        const msg = await consumer.next({ expires: 10_000 });
        assert.ok(msg, `no JetStream message after ${statuses(fromJS)}`);
        const ev = fromBinary(TaskEventSchema, msg.data);
        assert.equal(msg.headers?.get("Nats-Msg-Id"), ev.id);
        assert.equal(msg.headers?.get("ce-type").startsWith("cloudreve.task.v1."), true);
        assert.equal(msg.headers?.get("Content-Type"), "application/protobuf");
        assert.equal(msg.subject, `cloudreve.v1.tasks.${ev.userId}.create_archive.${task.id}`);
        fromJS.push(ev);
      }
      // Sequences count from 1 without gaps; WatchTask delivered the newest of them.
      fromJS.forEach((ev, i) => assert.equal(ev.sequence, BigInt(i + 1)));
      const tail = fromJS.slice(fromJS.length - streamed.length);
      streamed.forEach((ev, i) => assert.ok(equals(TaskEventSchema, ev, tail[i]), `event ${i} differs`));
    } finally {
      await nc.close();
    }
  });

  test(`${name}: ListTasks pages through every task`, async () => {
    const created = new Set<string>();
    for (let i = 0; i < 11; i++) {
      const { task } = await client.createArchive({ src: ["cloudreve://my/a.txt"], dst: `cloudreve://my/page-${name}-${i}.zip` });
      created.add(task!.id);
    }
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await client.listTasks({ pageSize: 10, category: TaskCategory.GENERAL, pageToken });
      assert.ok(page.tasks.length <= 10);
      seen.push(...page.tasks.map((t) => t.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "" && pages < 20);
    assert.equal(pageToken, "", "pagination did not end");
    assert.ok(pages >= 2, `${seen.length} tasks in ${pages} page(s)`);
    assert.equal(new Set(seen).size, seen.length, "a task was listed twice");
    for (const id of created) {
      assert.ok(seen.includes(id), `task ${id} not listed`);
    }
  });

  test(`${name}: failed calls carry ErrorInfo, UpstreamError and field violations`, async () => {
    // Archiving onto a file that exists: Cloudreve answers 40004.
    const err = await client.createArchive({ src: ["cloudreve://my/a.txt"], dst: "cloudreve://my/a.txt" }).then(
      () => assert.fail("archive onto an existing file succeeded"),
      (e: unknown) => ConnectError.from(e),
    );
    assert.equal(err.code, Code.AlreadyExists);
    const [info] = err.findDetails(ErrorInfoSchema);
    assert.ok(info, "no ErrorInfo detail");
    assert.equal(info.domain, "cloudreve");
    assert.equal(info.reason, "OBJECT_EXISTS");
    assert.equal(info.metadata["operation"], "createArchive");
    const [upstream] = err.findDetails(UpstreamErrorSchema);
    assert.ok(upstream, "no UpstreamError detail");
    assert.equal(upstream.code, 40004);
    assert.match(upstream.correlationId, /^[0-9a-f-]{36}$/);
    assert.match(err.metadata.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);

    // A request the contract rejects never reaches Cloudreve.
    const bad = await client.createArchive({ src: ["/not/a/uri"], dst: "cloudreve://my/x.zip" }).then(
      () => assert.fail("an invalid request succeeded"),
      (e: unknown) => ConnectError.from(e),
    );
    assert.equal(bad.code, Code.InvalidArgument);
    const [violations] = bad.findDetails(ViolationsSchema);
    assert.ok(violations, "no buf.validate.Violations detail");
    assert.ok(violations.violations.some((v) => v.field?.elements.some((e) => e.fieldName === "src")));
  });
}

function statuses(evs: TaskEvent[]): string {
  return evs.map((ev) => `${TaskStatus[ev.task?.status ?? 0]}/${ev.task?.phase ?? ""}`).join(" → ") || "(none)";
}
