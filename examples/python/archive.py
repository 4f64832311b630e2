"""Archives a file through the facade over gRPC and follows the task until it
is finished, printing each event.

    FACADE_URL=http://127.0.0.1:8080 CLOUDREVE_TOKEN=… /usr/bin/python3 examples/python/archive.py

Needs Debian's python3-grpcio and python3-protobuf (hence /usr/bin/python3).
ARCHIVE_SRC names the file to pack (default cloudreve://my/hello.txt).
"""

import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "gen" / "python"))

import grpc  # noqa: E402

from cloudreve.task.v1 import task_pb2  # noqa: E402
from cloudreve.workflow.v1 import workflow_pb2, workflow_pb2_grpc  # noqa: E402

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
