"""The search log's DynamoDB table as template.yaml declares it, for moto tests."""

from __future__ import annotations

from typing import Any

from madoguchi.adapters.search_log import USER_INDEX


def create_log_table(client: Any, name: str) -> None:
    """Day partitions (pk/sk) plus the sparse per-resident index of searches."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "user_search", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": USER_INDEX,
                "KeySchema": [
                    {"AttributeName": "user_search", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "Projection": {
                    "ProjectionType": "INCLUDE",
                    "NonKeyAttributes": ["query", "expires_at"],
                },
            }
        ],
    )
