"""Where bulk-export files live (issue 17, item 7): the "exports" storage. Default: the private
folder `PRIVATE_STORAGE_ROOT/exports` (one host, or hosts sharing that volume). A deployment on
several hosts sets EXPORT_STORAGE_BACKEND=s3 (any S3-compatible service: AWS, MinIO, Ceph...)
or azure (Azure Blob Storage), through django-storages. Every variable is in `.env.example`."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from scopegrowth.settings.environment import env_secret


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when EXPORT_STORAGE_BACKEND is not local")
    return value


EXPORT_STORAGE_BACKEND = os.environ.get("EXPORT_STORAGE_BACKEND", "local")
# Exports are private: no public ACL, no public URL; names are random and checked.
if EXPORT_STORAGE_BACKEND == "local":
    EXPORT_STORAGE = {"BACKEND": "devplans.export_storage.PrivateExportStorage"}
elif EXPORT_STORAGE_BACKEND == "s3":
    EXPORT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _required("EXPORT_S3_BUCKET"),
            "location": os.environ.get("EXPORT_S3_PREFIX", "exports"),
            "endpoint_url": os.environ.get("EXPORT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("EXPORT_S3_REGION") or None,
            # Empty: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": os.environ.get("EXPORT_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("EXPORT_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }
elif EXPORT_STORAGE_BACKEND == "azure":
    EXPORT_STORAGE = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": {
            "azure_container": _required("EXPORT_AZURE_CONTAINER"),
            "connection_string": env_secret("EXPORT_AZURE_CONNECTION_STRING"),
            "location": os.environ.get("EXPORT_AZURE_PREFIX", "exports"),
            "overwrite_files": True,
        },
    }
else:
    raise ImproperlyConfigured(
        f"EXPORT_STORAGE_BACKEND={EXPORT_STORAGE_BACKEND!r}: use 'local', 's3' or 'azure'"
    )
