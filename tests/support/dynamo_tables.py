"""The webhook's DynamoDB tables as template.yaml declares them, for moto tests."""

from __future__ import annotations

from typing import Any

from madoguchi.adapters.search_log import USER_INDEX

_PK_SK = {
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
}


def create_state_table(client: Any, name: str) -> None:
    """Event claims and per-resident conversations, keyed by pk/sk."""
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **_PK_SK)


def create_log_table(client: Any, name: str) -> None:
    """Day partitions (pk/sk) plus the sparse per-resident index of searches."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            *_PK_SK["AttributeDefinitions"],
            {"AttributeName": "user_search", "AttributeType": "S"},
        ],
        KeySchema=_PK_SK["KeySchema"],
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
