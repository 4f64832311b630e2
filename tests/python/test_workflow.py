"""The workflow contract from Python over gRPC, with the stubs in gen/python.

Run by tests/polyglot_test.go (TestPythonClients), which starts the facade
and passes FACADE_ADDR (host:port), FACADE_TOKEN (a sandbox user's Cloudreve
token) in the environment, with the python of a virtual environment that has
the package cloudreve-facade-client (gen/python) installed and sees Debian's
python3-grpcio and python3-protobuf.
"""

import os
import time
import unittest

import grpc
from google.protobuf import duration_pb2

from buf.validate import validate_pb2
from cloudreve.common.v1 import errors_pb2
from cloudreve.events.v1 import task_event_pb2
from cloudreve.task.v1 import task_pb2
from cloudreve.workflow.v1 import workflow_pb2, workflow_pb2_grpc
from google.rpc import error_details_pb2, status_pb2

ADDR = os.environ.get("FACADE_ADDR", "")
TOKEN = os.environ.get("FACADE_TOKEN", "")
TIMEOUT = 30  # seconds, for any one call that should succeed


def status_details(err):
    """The typed details of a failed call, from the grpc-status-details-bin trailer."""
    for key, value in err.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            out = []
            for any_ in status.details:
                for cls in (error_details_pb2.ErrorInfo, errors_pb2.UpstreamError, validate_pb2.Violations):
                    if any_.Is(cls.DESCRIPTOR):
                        msg = cls()
                        any_.Unpack(msg)
                        out.append(msg)
            return out
    return []


class WorkflowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not ADDR or not TOKEN:
            raise RuntimeError("FACADE_ADDR and FACADE_TOKEN are not set: run through go test ./tests")
        cls.channel = grpc.insecure_channel(ADDR)
        cls.stub = workflow_pb2_grpc.WorkflowServiceStub(cls.channel)
        cls.auth = (("authorization", "Bearer " + TOKEN),)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def test_archive_followed_to_completion(self):
        res = self.stub.CreateArchive(
            workflow_pb2.CreateArchiveRequest(src=["cloudreve://my/a.txt", "cloudreve://my/b.txt"], dst="cloudreve://my/py.zip"),
            metadata=self.auth, timeout=TIMEOUT,
        )
        self.assertEqual(res.task.type, task_pb2.TASK_TYPE_CREATE_ARCHIVE)
        self.assertEqual(res.task.status, task_pb2.TASK_STATUS_QUEUED)
        events = [r.event for r in self.stub.WatchTask(workflow_pb2.WatchTaskRequest(id=res.task.id), metadata=self.auth, timeout=TIMEOUT)]
        self.assertTrue(events)
        seqs = [e.sequence for e in events]
        self.assertEqual(seqs, sorted(seqs))
        last = events[-1]
        self.assertEqual(last.task.status, task_pb2.TASK_STATUS_COMPLETED, [task_pb2.TaskStatus.Name(e.task.status) for e in events])
        self.assertIn(task_event_pb2.CHANGE_FINISHED, last.changes)
        # WaitTask on a finished task answers at once.
        done = self.stub.WaitTask(workflow_pb2.WaitTaskRequest(id=res.task.id), metadata=self.auth, timeout=TIMEOUT)
        self.assertTrue(done.done)
        self.assertEqual(done.task.status, task_pb2.TASK_STATUS_COMPLETED)

    def test_paginated_listing(self):
        created = set()
        for i in range(11):
            res = self.stub.CreateArchive(
                workflow_pb2.CreateArchiveRequest(src=["cloudreve://my/a.txt"], dst="cloudreve://my/py-page-%d.zip" % i),
                metadata=self.auth, timeout=TIMEOUT,
            )
            created.add(res.task.id)
        seen, token, pages = [], "", 0
        while True:
            page = self.stub.ListTasks(
                workflow_pb2.ListTasksRequest(page_size=10, category=workflow_pb2.TASK_CATEGORY_GENERAL, page_token=token),
                metadata=self.auth, timeout=TIMEOUT,
            )
            self.assertLessEqual(len(page.tasks), 10)
            seen.extend(t.id for t in page.tasks)
            pages += 1
            token = page.next_page_token
            if not token or pages > 20:
                break
        self.assertEqual(token, "")
        self.assertGreaterEqual(pages, 2)
        self.assertEqual(len(seen), len(set(seen)), "a task was listed twice")
        self.assertLessEqual(created, set(seen))

    def test_failed_call_code_and_details(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.CreateArchive(
                workflow_pb2.CreateArchiveRequest(src=["cloudreve://my/a.txt"], dst="cloudreve://my/a.txt"),
                metadata=self.auth, timeout=TIMEOUT,
            )
        err = caught.exception
        self.assertEqual(err.code(), grpc.StatusCode.ALREADY_EXISTS)
        details = status_details(err)
        info = next(d for d in details if isinstance(d, error_details_pb2.ErrorInfo))
        upstream = next(d for d in details if isinstance(d, errors_pb2.UpstreamError))
        self.assertEqual((info.domain, info.reason, info.metadata["operation"]), ("cloudreve", "OBJECT_EXISTS", "createArchive"))
        self.assertEqual((upstream.code, upstream.operation), (40004, "createArchive"))
        self.assertTrue(upstream.correlation_id)

        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.ListTasks(workflow_pb2.ListTasksRequest(page_size=5, category=workflow_pb2.TASK_CATEGORY_GENERAL), metadata=self.auth, timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        violations = [d for d in status_details(caught.exception) if isinstance(d, validate_pb2.Violations)]
        self.assertTrue(violations and violations[0].violations[0].field.elements[0].field_name == "page_size", violations)

        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.ListTasks(workflow_pb2.ListTasksRequest(page_size=10, category=workflow_pb2.TASK_CATEGORY_GENERAL), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED)

    def test_deadline_expires(self):
        # The sandbox's downloader stalls on this source, so the task stays busy.
        dl = self.stub.CreateRemoteDownload(
            workflow_pb2.CreateRemoteDownloadRequest(src=["http://sandbox.invalid/slow-py"], dst="cloudreve://my"),
            metadata=self.auth, timeout=TIMEOUT,
        )
        task_id = dl.tasks[0].id
        try:
            start = time.monotonic()
            with self.assertRaises(grpc.RpcError) as caught:
                self.stub.WaitTask(workflow_pb2.WaitTaskRequest(id=task_id), metadata=self.auth, timeout=0.5)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.DEADLINE_EXCEEDED)
            self.assertLess(time.monotonic() - start, 5)
            # With a timeout of its own, WaitTask answers in time with done=false.
            res = self.stub.WaitTask(
                workflow_pb2.WaitTaskRequest(id=task_id, timeout=duration_pb2.Duration(nanos=200_000_000)),
                metadata=self.auth, timeout=TIMEOUT,
            )
            self.assertFalse(res.done)
        finally:
            self.stub.CancelTask(workflow_pb2.CancelTaskRequest(id=task_id), metadata=self.auth, timeout=TIMEOUT)


if __name__ == "__main__":
    unittest.main()
