"""Archives a file through the facade over gRPC and follows the task until it
is finished, printing each event.

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation ./gen/python
    FACADE_URL=http://127.0.0.1:8080 CLOUDREVE_TOKEN=… .venv/bin/python examples/python/archive.py

The stubs come from the package cloudreve-facade-client (gen/python); the
runtime from Debian's python3-grpcio and python3-protobuf, which the
environment sees (--system-site-packages), or from PyPI.
ARCHIVE_SRC names the file to pack (default cloudreve://my/hello.txt).
"""

import os
import sys
import time

import grpc

from cloudreve.task.v1 import task_pb2
from cloudreve.workflow.v1 import workflow_pb2, workflow_pb2_grpc

url = os.environ.get("FACADE_URL", "http://127.0.0.1:8080")
token = os.environ.get("CLOUDREVE_TOKEN") or sys.exit("set CLOUDREVE_TOKEN to a Cloudreve access token (see the README's walk-through)")
src = os.environ.get("ARCHIVE_SRC", "cloudreve://my/hello.txt")
dst = "cloudreve://my/example-py-%d.zip" % int(time.time() * 1000)
auth = (("authorization", "Bearer " + token),)

with grpc.insecure_channel(url.split("://", 1)[-1]) as channel:
    stub = workflow_pb2_grpc.WorkflowServiceStub(channel)
    try:
        task = stub.CreateArchive(workflow_pb2.CreateArchiveRequest(src=[src], dst=dst), metadata=auth, timeout=60).task
        print("task", task.id, "archives", src, "into", dst)
        for res in stub.WatchTask(workflow_pb2.WatchTaskRequest(id=task.id), metadata=auth, timeout=60):
            print(task_pb2.TaskStatus.Name(res.event.task.status), res.event.task.phase)
    except grpc.RpcError as err:
        sys.exit("failed: %s %s" % (err.code().name, err.details()))
