"""Every process's own OpenAPI document, built in-process (deploy/api_documents.py)."""
from deploy.api_documents import PROCESSES, process_document

service_document = process_document
__all__ = ["PROCESSES", "service_document"]
