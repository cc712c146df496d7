"""emrform's moto launcher: moto's server mode plus a few EMR Serverless extensions.

Our own code (see shared moto-notes §9). It imports moto and changes its behaviour only as listed
here; everything else is moto as installed by scripts/env.sh.

Extensions, all to EMR Serverless:
  E1. CreateApplication keeps the fields moto drops: architecture, imageConfiguration,
      workerTypeSpecifications, runtimeConfiguration, monitoringConfiguration,
      interactiveConfiguration, schedulerConfiguration, jobLevelCostAllocationConfiguration
      (architecture defaults to X86_64, as on AWS).
  E2. UpdateApplication applies those fields and releaseLabel (moto ignores them).
  E3. TagResource, UntagResource and ListTagsForResource are answered (moto does not route
      /tags/{resourceArn}); they read and write the same tags GetApplication returns.
  E4. ListJobRuns on an existing application that never ran a job answers an empty list
      (moto raises ResourceNotFoundException until the first job run).
  E5. EC2 DeleteVpcEndpoints on a gateway endpoint removes the endpoint's routes itself
      (moto looks them up under the wrong key and answers 500, leaving the endpoint alive).
  E6. Client tokens are honoured as on AWS: a repeated EMR Serverless CreateApplication, EC2
      CreateRouteTable or CreateVpcEndpoint with the same token answers the first result
      instead of creating a second object (moto ignores the token).
  E7. CloudWatch Logs: AssociateKmsKey and DisassociateKmsKey are answered (moto does not
      implement them), and a log group keeps its logGroupClass (default STANDARD) and returns
      it from DescribeLogGroups (moto drops it).
  E8. KMS: EnableKeyRotation keeps RotationPeriodInDays (default 365) and GetKeyRotationStatus
      returns it while rotation is on (moto drops it).
  E9. S3 GetBucketVersioning, GetBucketAccelerateConfiguration and GetBucketLogging answer with
      AWS's document root (`VersioningConfiguration`, `AccelerateConfiguration`,
      `BucketLoggingStatus`); moto names it `Get...Response`, which the Rust SDK rejects.
  E10. S3 GetBucketRequestPayment answers `Payer` BucketOwner for an existing bucket (moto does
      not implement it and answers a ListObjects result instead).
Launcher behaviour:
  L1. `--parent-pid PID`: the server exits when that process is gone, so a test binary that
      dies never leaves a server behind.
  L2. Prints `Running on http://HOST:PORT` on stderr once listening (as moto_server does), with the
      real port when started with `-p 0`.

Usage: python emrform_moto.py [-H 127.0.0.1] [-p 0] [--parent-pid PID]
"""

import argparse
import os
import sys
import threading
import time
from urllib.parse import unquote

# L3. AWS managed policies (arn:aws:iam::aws:policy/...) exist, as on AWS: configurations
# that attach or read them plan and apply (moto leaves them out unless asked).
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.emrserverless import models as emr_models
from moto.emrserverless import responses as emr_responses
from moto.emrserverless import urls as emr_urls
from moto.emrserverless.exceptions import ResourceNotFoundException

# Request member name -> attribute set on moto's Application object (E1, E2).
KEPT_FIELDS = {
    "architecture": "architecture",
    "imageConfiguration": "image_configuration",
    "workerTypeSpecifications": "worker_type_specifications",
    "runtimeConfiguration": "runtime_configuration",
    "monitoringConfiguration": "monitoring_configuration",
    "interactiveConfiguration": "interactive_configuration",
    "schedulerConfiguration": "scheduler_configuration",
    "jobLevelCostAllocationConfiguration": "job_level_cost_allocation_configuration",
}

Response = emr_responses.EMRServerlessResponse
_orig_create = Response.create_application
_orig_update = Response.update_application


def _keep_fields(response, application, creating):
    for member, attr in KEPT_FIELDS.items():
        value = response._get_param(member)
        if value is not None:
            setattr(application, attr, value)
        elif creating and not hasattr(application, attr):
            setattr(application, attr, "X86_64" if member == "architecture" else None)


def create_application(self):  # E1
    result = _orig_create(self)
    app_id = result.result["applicationId"] if hasattr(result, "result") else None
    if app_id is None:
        return result
    application = self.emrserverless_backend.get_application(app_id)
    _keep_fields(self, application, creating=True)
    return result


def update_application(self):  # E2
    application_id = self._get_param("applicationId")
    result = _orig_update(self)
    application = self.emrserverless_backend.get_application(application_id)
    _keep_fields(self, application, creating=False)
    release_label = self._get_param("releaseLabel")
    if release_label:
        application.release_label = release_label
    return result


def _application_for_arn(backend, arn):
    arn = unquote(arn)
    app_id = arn.rsplit("/", 1)[-1]
    application = backend.applications.get(app_id)
    if application is None or application.arn != arn:
        raise ResourceNotFoundException(app_id)
    return application


def _resource_arn(response):
    arn = response._get_param("resourceArn")
    if not arn:
        arn = response.path.split("/tags/", 1)[-1]
    return arn


def tag_resource(self):  # E3
    application = _application_for_arn(self.emrserverless_backend, _resource_arn(self))
    application.tags.update(self._get_param("tags") or {})
    return emr_responses.EmptyResult()


def untag_resource(self):  # E3
    application = _application_for_arn(self.emrserverless_backend, _resource_arn(self))
    keys = self._get_param("tagKeys") or self.querystring.get("tagKeys") or []
    for key in keys:
        application.tags.pop(key, None)
    return emr_responses.EmptyResult()


def list_tags_for_resource(self):  # E3
    application = _application_for_arn(self.emrserverless_backend, _resource_arn(self))
    return emr_responses.ActionResult({"tags": dict(application.tags)})


Backend = emr_models.EMRServerlessBackend
_orig_list_job_runs = Backend.list_job_runs


def list_job_runs(self, application_id, *args, **kwargs):  # E4
    if application_id in self.applications and application_id not in self.job_runs:
        return []
    return _orig_list_job_runs(self, application_id, *args, **kwargs)


Backend.list_job_runs = list_job_runs

from moto.ec2.models import EC2Backend  # noqa: E402

_orig_delete_vpc_endpoints = EC2Backend.delete_vpc_endpoints


def delete_vpc_endpoints(self, vpce_ids=None):  # E5
    for vpce_id in vpce_ids or []:
        endpoint = self.vpc_end_points.get(vpce_id)
        if endpoint is None or str(endpoint.vpc_endpoint_type).lower() == "interface":
            continue
        for table_id in list(endpoint.route_table_ids or []):
            table = self.route_tables.get(table_id)
            if table is None:
                continue
            for route_id, route in list(table._routes.items()):
                if getattr(getattr(route, "gateway", None), "id", None) == vpce_id:
                    table._routes.pop(route_id, None)
        endpoint.route_table_ids = []
    return _orig_delete_vpc_endpoints(self, vpce_ids)


EC2Backend.delete_vpc_endpoints = delete_vpc_endpoints
Response.create_application = create_application
Response.update_application = update_application
Response.tag_resource = tag_resource
Response.untag_resource = untag_resource
Response.list_tags_for_resource = list_tags_for_resource
emr_urls.url_paths["{0}/tags/(?P<resourceArn>.+)$"] = Response.dispatch

_TOKEN_RESULTS = {}


def honour_client_token(cls, name, param):  # E6
    original = getattr(cls, name)

    def wrapped(self):
        token = self._get_param(param)
        if not token:
            return original(self)
        key = (cls.__name__, name, self.current_account, self.region, token)
        if key not in _TOKEN_RESULTS:
            _TOKEN_RESULTS[key] = original(self)
        return _TOKEN_RESULTS[key]

    setattr(cls, name, wrapped)


from moto.ec2.responses.route_tables import RouteTables  # noqa: E402
from moto.ec2.responses.vpcs import VPCs  # noqa: E402

honour_client_token(Response, "create_application", "clientToken")
honour_client_token(RouteTables, "create_route_table", "ClientToken")
honour_client_token(VPCs, "create_vpc_endpoint", "ClientToken")


from moto.logs import models as logs_models  # noqa: E402
from moto.logs import responses as logs_responses  # noqa: E402
from moto.logs.exceptions import ResourceNotFoundException as LogsNotFound  # noqa: E402

LogsResponse = logs_responses.LogsResponse
_orig_create_log_group = LogsResponse.create_log_group
_orig_describe_dict = logs_models.LogGroup.to_describe_dict


def _log_group(response):
    group = response.logs_backend.groups.get(response._get_param("logGroupName"))
    if group is None:
        raise LogsNotFound()
    return group


def create_log_group(self):  # E7
    result = _orig_create_log_group(self)
    _log_group(self).log_group_class = self._get_param("logGroupClass") or "STANDARD"
    return result


def associate_kms_key(self):  # E7
    _log_group(self).kms_key_id = self._get_param("kmsKeyId")
    return ""


def disassociate_kms_key(self):  # E7
    _log_group(self).kms_key_id = None
    return ""


def log_group_describe_dict(self):  # E7
    described = _orig_describe_dict(self)
    described["logGroupClass"] = getattr(self, "log_group_class", "STANDARD")
    return described


LogsResponse.create_log_group = create_log_group
LogsResponse.associate_kms_key = associate_kms_key
LogsResponse.disassociate_kms_key = disassociate_kms_key
logs_models.LogGroup.to_describe_dict = log_group_describe_dict

import json  # noqa: E402

from moto.kms import responses as kms_responses  # noqa: E402

KmsResponse = kms_responses.KmsResponse
_orig_enable_rotation = KmsResponse.enable_key_rotation
_orig_rotation_status = KmsResponse.get_key_rotation_status


def enable_key_rotation(self):  # E8
    result = _orig_enable_rotation(self)
    key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
    key.rotation_period_in_days = self._get_param("RotationPeriodInDays") or 365
    return result


def get_key_rotation_status(self):  # E8
    status = json.loads(_orig_rotation_status(self))
    key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
    if status.get("KeyRotationEnabled"):
        status["RotationPeriodInDays"] = getattr(key, "rotation_period_in_days", 365)
    return json.dumps(status)


KmsResponse.enable_key_rotation = enable_key_rotation
KmsResponse.get_key_rotation_status = get_key_rotation_status


from moto.s3.responses import S3Response  # noqa: E402

# S3 response method -> (moto's root, AWS's root) (E9).
EMPTY_S3_ROOTS = {
    "get_bucket_versioning": ("GetBucketVersioningResponse", "VersioningConfiguration"),
    "get_bucket_accelerate_configuration": (
        "GetBucketAccelerateConfigurationResponse",
        "AccelerateConfiguration",
    ),
    "get_bucket_logging": ("GetBucketLoggingResponse", "BucketLoggingStatus"),
}


def aws_root(name, moto_root, aws_root_name):  # E9
    original = getattr(S3Response, name)

    def wrapped(self):
        status, headers, body = original(self)
        text = body.decode() if isinstance(body, bytes) else body
        if isinstance(text, str) and f"<{moto_root}" in text:
            body = text.replace(f"<{moto_root}", f"<{aws_root_name}").replace(
                f"</{moto_root}>", f"</{aws_root_name}>"
            )
        return status, headers, body

    setattr(S3Response, name, wrapped)


for _name, (_moto_root, _aws_root) in EMPTY_S3_ROOTS.items():
    aws_root(_name, _moto_root, _aws_root)


_orig_bucket_get = S3Response._bucket_response_get


def bucket_response_get(self, bucket_name, querystring):  # E10
    if "requestPayment" in querystring:
        self.backend.get_bucket(bucket_name)  # NoSuchBucket as on AWS
        return (
            200,
            {},
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<RequestPaymentConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            "<Payer>BucketOwner</Payer></RequestPaymentConfiguration>",
        )
    return _orig_bucket_get(self, bucket_name, querystring)


S3Response._bucket_response_get = bucket_response_get


def _watch_parent(pid):  # L1
    while True:
        try:
            os.kill(pid, 0)
        except OSError:
            os._exit(0)
        if os.getppid() == 1:
            os._exit(0)
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=None)
    args = parser.parse_args()

    if args.parent_pid:
        threading.Thread(target=_watch_parent, args=(args.parent_pid,), daemon=True).start()

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"Running on http://{host}:{port}", file=sys.stderr, flush=True)  # L2
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
