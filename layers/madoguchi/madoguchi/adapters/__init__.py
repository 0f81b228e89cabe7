"""One small adapter per outside system; only modules here import boto3."""
