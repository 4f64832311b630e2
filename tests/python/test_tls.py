"""One call over TLS, trusting the CA the Go test made (FACADE_TLS_CA), at
FACADE_TLS_ADDR. Run by tests/polyglot_test.go (TestPythonClients)."""

import os
import unittest

import grpc

from cloudreve.workflow.v1 import workflow_pb2, workflow_pb2_grpc

ADDR = os.environ.get("FACADE_TLS_ADDR", "")
CA = os.environ.get("FACADE_TLS_CA", "")
TOKEN = os.environ.get("FACADE_TOKEN", "")


class TLSTest(unittest.TestCase):
    def test_list_tasks_over_tls(self):
        if not ADDR or not CA or not TOKEN:
            raise RuntimeError("FACADE_TLS_ADDR, FACADE_TLS_CA and FACADE_TOKEN are not set: run through go test ./tests")
        with open(CA, "rb") as f:
            creds = grpc.ssl_channel_credentials(root_certificates=f.read())
        with grpc.secure_channel(ADDR, creds) as channel:
            stub = workflow_pb2_grpc.WorkflowServiceStub(channel)
            page = stub.ListTasks(
                workflow_pb2.ListTasksRequest(page_size=10, category=workflow_pb2.TASK_CATEGORY_GENERAL),
                metadata=(("authorization", "Bearer " + TOKEN),),
                timeout=30,
            )
            self.assertIsNotNone(page.tasks)


if __name__ == "__main__":
    unittest.main()
