# Test-only: makes an older botocore (Debian's python3-boto3) honour
# AWS_ENDPOINT_URL_BEDROCK_RUNTIME, as botocore 1.31+ does by itself, so the exported programs
# can be run against the emulator without changing a line of them. Loaded through PYTHONPATH.
import os

_url = os.environ.get("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
if _url:
    import botocore.session

    _create_client = botocore.session.Session.create_client

    def _create_client_with_endpoint(self, service_name, *args, **kwargs):
        if service_name == "bedrock-runtime" and not kwargs.get("endpoint_url") and len(args) < 5:
            kwargs["endpoint_url"] = _url
        return _create_client(self, service_name, *args, **kwargs)

    botocore.session.Session.create_client = _create_client_with_endpoint
