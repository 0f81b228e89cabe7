"""The deployed template (after the SAM transform) has the operations settings it promises: alarms
to an ops topic, a failure queue, table protection, encryption, limits and least privilege."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from madoguchi.publish.upload_report import UploadStatus

ROOT = Path(__file__).resolve().parents[2]
SAM_PYTHON = ROOT / ".venv-sam" / "bin" / "python"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    """template.yaml expanded offline by the SAM translator (it lives in .venv-sam)."""
    if not SAM_PYTHON.exists():
        pytest.fail(".venv-sam is missing: `make test` creates it (or run `make build` once)")
    out = tmp_path_factory.mktemp("template") / "transformed.json"
    subprocess.run(
        [str(SAM_PYTHON), "scripts/transform_template.py", "template.yaml", str(out)],
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def props(template: dict, name: str) -> dict:
    return template["Resources"][name]["Properties"]


def statements(template: dict, role: str) -> list[dict]:
    return [
        statement
        for policy in props(template, role).get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def subs(value) -> str:
    """Every string inside a value (intrinsic functions included), joined, for searching."""
    return json.dumps(value, ensure_ascii=False)


def emitted_metrics() -> set[str]:
    """Metric names the handlers emit (the indexer's Uploads<Status> expanded)."""
    names: set[str] = set()
    for app in (ROOT / "functions").glob("*/app.py"):
        names |= set(re.findall(r'add_metric\(\s*name="(\w+)"', app.read_text(encoding="utf-8")))
    names |= {f"Uploads{status.value.title()}" for status in UploadStatus}
    return names


# --- first deployment ----------------------------------------------------------------------


def test_no_iam_resource_has_a_fixed_name_so_capability_iam_is_enough(template):
    for name, resource in template["Resources"].items():
        if resource["Type"].startswith("AWS::IAM::"):
            for fixed in ("ManagedPolicyName", "RoleName", "PolicyName", "UserName", "GroupName"):
                assert fixed not in resource["Properties"], f"{name} has {fixed}"


def test_ssm_parameter_names_depend_on_the_stage(template):
    for function in ("WebhookFunction", "IndexerFunction"):
        env = props(template, function)["Environment"]["Variables"]
        for key, value in env.items():
            if key.endswith("_PARAM"):
                assert value == {"Fn::Sub": value["Fn::Sub"]}
                assert value["Fn::Sub"].startswith("/madoguchi/${Stage}/"), key
    for role in ("WebhookFunctionRole", "IndexerFunctionRole"):
        for statement in statements(template, role):
            if "ssm:GetParameter" in statement["Action"]:
                assert "parameter/madoguchi/${Stage}/" in subs(statement["Resource"])


def test_samconfig_has_staging_and_prod_with_what_a_deploy_needs():
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    for env in ("staging", "prod"):
        deploy = config[env]["deploy"]["parameters"]
        assert deploy["capabilities"] == "CAPABILITY_IAM"
        assert deploy["stack_name"] == f"madoguchi-{env}"
        assert deploy["region"]
        assert deploy["resolve_s3"] is True
        assert f'Stage="{env}"' in deploy["parameter_overrides"]
    assert "default" not in config  # every deployment names its environment


def test_retained_resources_do_not_collide_when_the_stack_is_created_again(template):
    for name, resource in template["Resources"].items():
        if resource.get("DeletionPolicy") != "Retain":
            continue
        if resource["Type"] == "AWS::DynamoDB::Table":
            assert "TableName" not in resource["Properties"], name
        elif resource["Type"] == "AWS::S3::Bucket":
            pattern, values = resource["Properties"]["BucketName"]["Fn::Sub"]
            assert "AWS::StackId" in subs(values), name
            longest = pattern.replace("${Stage}", "x" * 10).replace("${AWS::AccountId}", "1" * 12)
            longest = longest.replace("${AWS::Region}", "ap-southeast-5")  # 14, the longest
            assert len(longest.replace("${StackSuffix}", "1a2b3c4d")) <= 63  # S3's limit
        elif resource["Type"] == "AWS::Lambda::Version":
            continue  # SAM keeps published versions; they have no name of their own
        else:
            pytest.fail(f"{name}: retained {resource['Type']} not covered by this test")


# --- nothing goes wrong unseen ---------------------------------------------------------------


def test_every_alarm_goes_to_the_ops_topic_never_to_staff(template):
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    assert len(alarms) >= 9
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "OpsTopic"}], name
        assert "StaffTopic" not in subs(alarm["Properties"]), name


def test_alarms_cover_the_outages_the_handlers_report(template):
    watched = {
        (
            alarm["Properties"].get("MetricName"),
            subs(alarm["Properties"].get("Namespace", "")),
        )
        for alarm in of_type(template, "AWS::CloudWatch::Alarm").values()
    }
    metrics = {metric for metric, _ in watched}
    assert {"ReplyFailures", "SignatureRejected", "StateFailures"} <= metrics  # Lambda succeeds
    assert {"Errors", "Throttles", "Duration", "5xx"} <= metrics
    assert "ApproximateNumberOfMessagesVisible" in metrics  # the failure queue
    math = [
        alarm["Properties"]["Metrics"]
        for alarm in of_type(template, "AWS::CloudWatch::Alarm").values()
        if "Metrics" in alarm["Properties"]
    ]
    assert any(
        m.get("MetricStat", {}).get("Metric", {}).get("MetricName") == "4xx"
        for group in math
        for m in group
    )
    custom = {m for m, ns in watched if "Madoguchi/${Stage}" in ns}
    assert custom <= emitted_metrics()


def test_webhook_p99_duration_alarm_is_below_lines_two_seconds(template):
    alarm = props(template, "WebhookDurationAlarm")
    assert alarm["ExtendedStatistic"] == "p99"
    assert alarm["Threshold"] < 2000


def test_ops_topic_always_has_a_subscriber_and_needs_an_address(template):
    subscriptions = of_type(template, "AWS::SNS::Subscription")
    ops = [s for s in subscriptions.values() if s["Properties"]["TopicArn"] == {"Ref": "OpsTopic"}]
    assert ops and all("Condition" not in s for s in ops)
    assert ops[0]["Properties"]["Endpoint"] == {"Ref": "OpsEmail"}
    parameter = template["Parameters"]["OpsEmail"]
    assert "Default" not in parameter
    assert not re.fullmatch(parameter["AllowedPattern"], "")
    assert re.fullmatch(parameter["AllowedPattern"], "ops@city.example.jp")


def test_indexer_failures_go_to_a_queue_that_is_alarmed(template):
    config = props(template, "IndexerFunctionEventInvokeConfig")
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["IndexerFailedEvents", "Arn"]
    }
    assert props(template, "IndexerFailedEvents")["MessageRetentionPeriod"] == 1209600
    alarm = props(template, "IndexerFailedEventsAlarm")
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["IndexerFailedEvents", "QueueName"]}


def test_dashboard_shows_the_metrics_the_handlers_emit(template):
    body = props(template, "Dashboard")["DashboardBody"]["Fn::Sub"][0]
    dashboard = json.loads(body)
    custom = {
        line[1]
        for widget in dashboard["widgets"]
        for line in widget["properties"].get("metrics", [])
        if isinstance(line[0], str) and line[0] == "${Namespace}"
    }
    wanted = {"Searches", "NoAnswer", "Handovers", "WebhookLatency", "ReplyFailures"}
    wanted |= {"UploadsPublished", "UploadsRefused", "CrisisReplies"}
    assert wanted <= custom
    assert custom <= emitted_metrics()
    shares = [
        line[0]["expression"]
        for widget in dashboard["widgets"]
        for line in widget["properties"].get("metrics", [])
        if isinstance(line[0], dict)
    ]
    assert any("unanswered / searches" in e for e in shares)
    assert any("(searches - unanswered) / searches" in e for e in shares)


def test_crisis_replies_are_shown_but_never_alarmed_on(template):
    """Staff are mailed about each resident in danger; an alarm to operators would add nothing
    but noise (and say something about residents to people who do not answer them)."""
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    assert alarms
    assert "CrisisReplies" not in json.dumps(alarms)
    body = props(template, "Dashboard")["DashboardBody"]["Fn::Sub"][0]
    assert "CrisisReplies" in body


def test_metrics_are_kept_apart_per_stage(template):
    for function in ("WebhookFunction", "IndexerFunction"):
        env = props(template, function)["Environment"]["Variables"]
        assert env["POWERTOOLS_METRICS_NAMESPACE"] == {"Fn::Sub": "Madoguchi/${Stage}"}


# --- data and cost safety --------------------------------------------------------------------


def test_tables_have_point_in_time_recovery_and_deletion_protection(template):
    tables = of_type(template, "AWS::DynamoDB::Table")
    assert set(tables) == {"StateTable", "SearchLogTable"}
    for table in tables.values():
        spec = table["Properties"]["PointInTimeRecoverySpecification"]
        assert spec["PointInTimeRecoveryEnabled"] is True
        assert table["Properties"]["DeletionProtectionEnabled"] is True


def test_topics_are_encrypted_with_a_rotating_key_cloudwatch_may_use(template):
    for topic in of_type(template, "AWS::SNS::Topic").values():
        assert topic["Properties"]["KmsMasterKeyId"] == {"Ref": "NotificationKey"}
    key = props(template, "NotificationKey")
    assert key["EnableKeyRotation"] is True
    services = [s["Principal"].get("Service") for s in key["KeyPolicy"]["Statement"]]
    assert "cloudwatch.amazonaws.com" in services


def test_functions_that_publish_may_encrypt_for_the_topic(template):
    for role in ("WebhookFunctionRole", "IndexerFunctionRole"):
        kms = [s for s in statements(template, role) if "kms:GenerateDataKey*" in s["Action"]]
        assert kms and kms[0]["Resource"] == {"Fn::GetAtt": ["NotificationKey", "Arn"]}


def test_concurrency_is_reserved_unless_the_account_is_too_small(template):
    assert template["Parameters"]["WebhookReservedConcurrency"]["Default"] > 0
    for function, value in (
        ("WebhookFunction", {"Ref": "WebhookReservedConcurrency"}),
        ("IndexerFunction", 2),
    ):
        reserved = props(template, function)["ReservedConcurrentExecutions"]
        assert reserved == {"Fn::If": ["ReserveConcurrency", value, {"Ref": "AWS::NoValue"}]}
    # The API's throttle caps the rate first: well above a typhoon evening's 35 requests/s, with
    # a bucket for an area mail's burst; the reservation covers that rate at about 0.3 s a
    # request (docs/deploy.md, "Typhoon day").
    # (With FloodProtection=waf the HTTP API refuses everything and the protected REST stage
    # takes the same limits.)
    route = props(template, "WebhookApiApiGatewayDefaultStage")["DefaultRouteSettings"]
    stage = {key: value["Fn::If"][2] for key, value in route.items()}
    assert stage == {"ThrottlingBurstLimit": 1000, "ThrottlingRateLimit": 300}
    [protected] = props(template, "ProtectedWebhookStage")["MethodSettings"]
    assert protected["ThrottlingRateLimit"] == stage["ThrottlingRateLimit"]
    assert protected["ThrottlingBurstLimit"] == stage["ThrottlingBurstLimit"]
    assert stage["ThrottlingRateLimit"] >= 35 * 5
    default = template["Parameters"]["WebhookReservedConcurrency"]["Default"]
    assert default >= stage["ThrottlingRateLimit"] * 0.3


def test_webhook_times_out_within_five_seconds(template):
    assert props(template, "WebhookFunction")["Timeout"] <= 5


def test_s3_may_invoke_the_indexer_only_from_this_bucket(template):
    permission = props(template, "IndexerS3InvokePermission")
    assert permission["Principal"] == "s3.amazonaws.com"
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}
    bucket = props(template, "FaqBucket")["BucketName"]["Fn::Sub"]
    assert permission["SourceArn"]["Fn::Sub"] == [
        f"arn:${{AWS::Partition}}:s3:::{bucket[0]}",
        bucket[1],
    ]
    others = [
        p
        for p in of_type(template, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "s3.amazonaws.com"
    ]
    assert len(others) == 1


def test_upload_trigger_does_not_filter_on_the_case_sensitive_suffix(template):
    (notification,) = props(template, "FaqBucket")["NotificationConfiguration"][
        "LambdaConfigurations"
    ]
    rules = notification["Filter"]["S3Key"]["Rules"]
    assert [rule["Name"] for rule in rules] == ["prefix"]


def test_expired_delete_markers_are_cleaned_up(template):
    rules = props(template, "FaqBucket")["LifecycleConfiguration"]["Rules"]
    assert any(rule.get("ExpiredObjectDeleteMarker") is True for rule in rules)


def test_every_state_table_write_is_limited_to_its_partition_keys(template):
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    on_state = [
        s
        for s in statements(template, "WebhookFunctionRole")
        if "StateTable" in subs(s["Resource"]) and writes & set(s["Action"])
    ]
    assert {s["Sid"] for s in on_state} == {"ClaimWebhookEvents", "ResidentConversationState"}
    for statement in on_state:
        keys = statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        assert keys in (["event#*"], ["user#*"])


def test_the_webhook_only_appends_to_the_search_log(template):
    on_log = [
        s
        for s in statements(template, "WebhookFunctionRole")
        if "SearchLogTable" in subs(s["Resource"]) and "/index/" not in subs(s["Resource"])
    ]
    assert [s["Action"] for s in on_log] == [["dynamodb:PutItem"]]


def test_no_wildcard_kms_grant(template):
    for role in of_type(template, "AWS::IAM::Role"):
        for statement in statements(template, role):
            assert "key/*" not in subs(statement.get("Resource")), (role, statement.get("Sid"))


# --- the semantic signal -----------------------------------------------------------------------


def functions(template: dict) -> dict[str, dict]:
    return of_type(template, "AWS::Lambda::Function")


def test_functions_and_the_layer_run_on_x86_64_where_the_engine_is_built(template):
    assert set(functions(template)) == {
        "IndexerFunction",
        "WebhookFunction",
        "EmbedFunction",
        "HealthCheckFunction",
    }
    for name, function in functions(template).items():
        assert function["Properties"]["Architectures"] == ["x86_64"], name
    (layer,) = of_type(template, "AWS::Lambda::LayerVersion").values()
    assert layer["Properties"]["CompatibleArchitectures"] == ["x86_64"]


def test_threads_are_pinned_to_one_before_numpy_and_the_engine_load(template):
    for name, function in functions(template).items():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["OMP_NUM_THREADS"] == "1" and env["OPENBLAS_NUM_THREADS"] == "1", name


def test_functions_with_the_engine_build_it_into_their_own_package(template):
    from madoguchi.adapters.e5_engine import ENV_DIR, FUNCTION_DIR_NAME

    for name, folder in (("WebhookFunction", "webhook"), ("EmbedFunction", "embedder")):
        resource = template["Resources"][name]
        assert resource["Metadata"]["BuildMethod"] == "makefile", name
        makefile = (ROOT / "functions" / folder / "Makefile").read_text()
        assert f"build-{name}:" in makefile and "scripts/vendor_e5.py" in makefile
        assert f'$(ARTIFACTS_DIR)/{FUNCTION_DIR_NAME}"' in makefile
        env = props(template, name)["Environment"]["Variables"]
        assert env[ENV_DIR] == f"/var/task/{FUNCTION_DIR_NAME}"
    assert "Metadata" not in template["Resources"]["IndexerFunction"]  # no model there


def test_the_indexer_may_invoke_the_embed_function_and_nothing_else(template):
    invoke = [
        s
        for role in of_type(template, "AWS::IAM::Role")
        for s in statements(template, role)
        if any(str(action).startswith("lambda:") for action in s["Action"])
    ]
    assert invoke == [
        {
            "Sid": "EmbedPassages",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": {"Fn::GetAtt": ["EmbedFunction", "Arn"]},
        }
    ]
    assert invoke[0] in statements(template, "IndexerFunctionRole")
    env = props(template, "IndexerFunction")["Environment"]["Variables"]
    assert env["MADOGUCHI_EMBED_FUNCTION"] == {"Ref": "EmbedFunction"}
    role = props(template, "EmbedFunctionRole")
    assert "Policies" not in role  # it reads nothing and writes nothing but its logs
    assert [subs(arn) for arn in role["ManagedPolicyArns"]] == [
        subs("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    ]


def test_embed_function_is_sized_for_its_batches(template):
    from madoguchi.adapters import lambda_embedder

    embed = props(template, "EmbedFunction")
    assert embed["MemorySize"] == 1769  # one vCPU for the single-threaded engine
    assert embed["Timeout"] < lambda_embedder.INVOKE_READ_TIMEOUT_SECONDS  # the caller waits
    assert embed["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReserveConcurrency", 2 * lambda_embedder.WORKERS, {"Ref": "AWS::NoValue"}]
    }
    indexer = props(template, "IndexerFunction")
    assert indexer["ReservedConcurrentExecutions"]["Fn::If"][1] == 2  # two indexers at most
    # Past its budget the indexer stops embedding and still has time to publish BM25 alone.
    assert indexer["Timeout"] >= lambda_embedder.BUDGET_SECONDS + 60


def test_webhook_memory_is_the_one_the_readme_costs(template):
    memory = props(template, "WebhookFunction")["MemorySize"]
    assert memory == 1024
    deploy_guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert f"webhook {memory} MB" in deploy_guide


def test_publishing_without_vectors_is_alarmed(template):
    alarm = props(template, "VectorsUnavailableAlarm")
    assert alarm["MetricName"] == "VectorsUnavailable"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "indexer"}]


def test_every_alarm_is_explained_in_both_runbooks(template):
    runbooks = [
        (ROOT / "docs" / name).read_text(encoding="utf-8")
        for name in ("runbook.md", "runbook.en.md")
    ]
    for name, alarm in of_type(template, "AWS::CloudWatch::Alarm").items():
        suffix = alarm["Properties"]["AlarmName"]["Fn::Sub"].removeprefix("madoguchi-${Stage}-")
        for runbook in runbooks:
            assert f"| `{suffix}` |" in runbook, (name, suffix)


# --- learning from residents -------------------------------------------------------------------


def schedules_with(template: dict, payload: str) -> list[dict]:
    """The Scheduler schedules whose target input names this payload (functions/*/app.py)."""
    return [
        schedule["Properties"]
        for schedule in of_type(template, "AWS::Scheduler::Schedule").values()
        if json.loads(schedule["Properties"]["Target"]["Input"])["madoguchi"] == payload
    ]


def test_a_nightly_schedule_rebuilds_the_live_index_with_learned_phrasings(template):
    [spec] = schedules_with(template, "nightly-rebuild")
    assert spec["ScheduleExpression"].startswith("cron(")
    assert spec["ScheduleExpressionTimezone"] == "Asia/Tokyo"
    target = spec["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["IndexerFunction", "Arn"]}
    # The payload the handler recognises (functions/indexer/app.py, NIGHTLY_REBUILD).
    assert json.loads(target["Input"]) == {"madoguchi": "nightly-rebuild"}
    handler = (ROOT / "functions" / "indexer" / "app.py").read_text(encoding="utf-8")
    assert 'NIGHTLY_REBUILD = {"madoguchi": "nightly-rebuild"}' in handler
    # The scheduler's role may invoke the indexer and nothing else.
    role = target["RoleArn"]["Fn::GetAtt"][0]
    [allowed] = statements(template, role)
    assert allowed["Action"] == "lambda:InvokeFunction"
    assert "IndexerFunction" in subs(allowed["Resource"])


def test_search_reports_are_scheduled_monthly_and_weekly_in_japan_time(template):
    specs = schedules_with(template, "search-report")
    by_period = {json.loads(s["Target"]["Input"])["period"]: s for s in specs}
    assert sorted(by_period) == ["monthly", "weekly"]
    assert by_period["monthly"]["ScheduleExpression"] == "cron(0 7 1 * ? *)"
    assert by_period["weekly"]["ScheduleExpression"] == "cron(0 7 ? * MON *)"
    for spec in specs:
        assert spec["ScheduleExpressionTimezone"] == "Asia/Tokyo"
        assert spec["Target"]["Arn"] == {"Fn::GetAtt": ["IndexerFunction", "Arn"]}
        [allowed] = statements(template, spec["Target"]["RoleArn"]["Fn::GetAtt"][0])
        assert allowed["Action"] == "lambda:InvokeFunction"
    handler = (ROOT / "functions" / "indexer" / "app.py").read_text(encoding="utf-8")
    assert 'SEARCH_REPORT = "search-report"' in handler
    # Saved under the report prefix, which the indexer may write, staff may read, and the
    # lifecycle rule expires after ReportRetentionDays.
    write = next(
        s for s in statements(template, "IndexerFunctionRole") if s.get("Sid") == "WriteReports"
    )
    assert "${ReportPrefix}*" in subs(write["Resource"])
    staff = props(template, "StaffPolicy")["PolicyDocument"]["Statement"]
    read = next(s for s in staff if s.get("Sid") == "ReadWorkbooksAndReports")
    assert "${ReportPrefix}*" in subs(read["Resource"])
    rules = props(template, "FaqBucket")["LifecycleConfiguration"]["Rules"]
    expire = next(r for r in rules if r["Id"] == "expire-reports")
    assert expire["Prefix"] == {"Ref": "ReportPrefix"}
    assert expire["ExpirationInDays"] == {"Ref": "ReportRetentionDays"}


# What the indexer's role may do, statement by statement: the notice check added nothing.
INDEXER_GRANTS = {
    "FailureQueue": ["sqs:SendMessage"],  # SAM's, for EventInvokeConfig's OnFailure (no Sid)
    "ReadUploadedWorkbooks": ["s3:GetObject", "s3:GetObjectVersion"],
    "ReadWriteIndexes": ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"],
    "WriteReports": ["s3:PutObject"],
    "ListOwnPrefixes": ["s3:ListBucket"],
    "NotifyStaff": ["sns:Publish"],
    "EncryptStaffMessages": ["kms:GenerateDataKey*", "kms:Decrypt"],
    "ReadSearchLogToLearn": ["dynamodb:Query"],
    "ReadLineAccessTokenForRichMenus": ["ssm:GetParameter"],
    "EmbedPassages": ["lambda:InvokeFunction"],
}


def test_the_notice_check_runs_every_five_minutes_in_japan_time_with_the_indexers_grants(
    template,
):
    [spec] = schedules_with(template, "notice-check")
    # On the 5-minute marks of Japan's clock, with no flexible window: an 18:00 notice at 18:00.
    assert spec["ScheduleExpression"] == "cron(0/5 * * * ? *)"
    assert spec["ScheduleExpressionTimezone"] == "Asia/Tokyo"
    assert spec["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert spec["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 0  # the next run is near
    assert spec["Target"]["Arn"] == {"Fn::GetAtt": ["IndexerFunction", "Arn"]}
    handler = (ROOT / "functions" / "indexer" / "app.py").read_text(encoding="utf-8")
    assert 'NOTICE_CHECK = {"madoguchi": "notice-check"}' in handler
    # The scheduler's role may invoke the indexer and nothing else.
    [allowed] = statements(template, spec["Target"]["RoleArn"]["Fn::GetAtt"][0])
    assert allowed["Action"] == "lambda:InvokeFunction"
    assert "IndexerFunction" in subs(allowed["Resource"])
    # The check sends through the publish's path: the role is the publish's, not wider.
    grants = {
        s.get("Sid", "FailureQueue"): s["Action"]
        if isinstance(s["Action"], list)
        else [s["Action"]]
        for s in statements(template, "IndexerFunctionRole")
    }
    assert grants == INDEXER_GRANTS
    assert props(template, "IndexerFunctionRole")["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    assert not any("s3:DeleteObject" in a for actions in grants.values() for a in actions)
    # The staff's words promise "5分ごと": they must stay true to the schedule.
    from madoguchi.publish.upload_report import BROADCAST_WORDS

    assert "5分ごと" in BROADCAST_WORDS["scheduled"]


def test_the_indexer_may_only_query_the_search_logs_day_partitions(template):
    env = props(template, "IndexerFunction")["Environment"]["Variables"]
    assert env["MADOGUCHI_LOG_TABLE"] == {"Ref": "SearchLogTable"}
    dynamo = [
        s
        for s in statements(template, "IndexerFunctionRole")
        if any(a.startswith("dynamodb:") for a in s["Action"])
    ]
    assert dynamo == [
        {
            "Sid": "ReadSearchLogToLearn",
            "Effect": "Allow",
            "Action": ["dynamodb:Query"],
            "Resource": {"Fn::GetAtt": ["SearchLogTable", "Arn"]},
            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["LOG#*"]}},
        }
    ]


# --- safe releases and a watched front door ----------------------------------------------------


def test_the_webhook_is_released_gradually_and_rolled_back_by_its_alarms(template):
    [group] = of_type(template, "AWS::CodeDeploy::DeploymentGroup").values()
    spec = group["Properties"]
    alarms = {a["Name"]["Ref"] for a in spec["AlarmConfiguration"]["Alarms"]}
    assert alarms == {"WebhookErrorAlarm", "ReplyFailuresAlarm", "WebhookDurationAlarm"}
    assert spec["AlarmConfiguration"]["Enabled"] is True
    assert "DEPLOYMENT_STOP_ON_ALARM" in spec["AutoRollbackConfiguration"]["Events"]
    # The translator fills in the parameter's default: a 10% canary for 5 minutes.
    assert "Canary10Percent5Minutes" in subs(spec["DeploymentConfigName"])
    # SnapStart stays on, and API Gateway calls the alias CodeDeploy shifts.
    webhook = props(template, "WebhookFunction")
    assert webhook["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    alias = template["Resources"]["WebhookFunctionAliaslive"]
    assert "CodeDeployLambdaAliasUpdate" in alias["UpdatePolicy"]
    assert "WebhookFunctionAliaslive" in subs(template["Resources"]["WebhookApi"]["Properties"])


def test_the_front_door_is_checked_every_five_minutes_with_the_secret_alone(template):
    [spec] = schedules_with(template, "front-door-check")
    assert spec["ScheduleExpression"] == "rate(5 minutes)"
    assert spec["Target"]["Arn"] == {"Fn::GetAtt": ["HealthCheckFunction", "Arn"]}
    env = props(template, "HealthCheckFunction")["Environment"]["Variables"]
    condition, protected, plain = env["MADOGUCHI_WEBHOOK_URL"]["Fn::If"]
    assert condition == "ProtectFromFloods"
    assert plain["Fn::Sub"].startswith("https://${WebhookApi}.execute-api")
    assert plain["Fn::Sub"].endswith("/webhook")
    assert protected["Fn::Sub"].startswith("https://${ProtectedWebhookApi}.execute-api")
    [allowed] = statements(template, "HealthCheckFunctionRole")
    assert allowed["Action"] == ["ssm:GetParameter"]
    assert subs(allowed["Resource"]).endswith('line/channel-secret"}')
    alarm = props(template, "FrontDoorAlarm")
    assert (alarm["MetricName"], alarm["TreatMissingData"]) == ("FrontDoorFailures", "breaching")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "healthcheck"}]
    handler = (ROOT / "functions" / "healthcheck" / "app.py").read_text(encoding="utf-8")
    assert 'name="FrontDoorFailures"' in handler


def test_silence_is_alarmed_on_resident_events_only(template):
    alarm = props(template, "SilenceAlarm")
    assert alarm["MetricName"] == "ResidentEvents"
    assert alarm["EvaluationPeriods"] == {"Ref": "SilenceHours"}
    assert (alarm["Period"], alarm["ComparisonOperator"]) == (3600, "LessThanThreshold")
    assert alarm["TreatMissingData"] == "breaching"
    assert "ResidentEvents" in emitted_metrics()


def test_a_monthly_budget_mails_the_ops_address_when_asked_for(template):
    budget = template["Resources"]["MonthlyBudget"]
    assert budget["Condition"] == "HasBudget"
    spec = budget["Properties"]
    assert spec["Budget"]["BudgetLimit"] == {"Amount": {"Ref": "MonthlyBudgetUsd"}, "Unit": "USD"}
    kinds = {n["Notification"]["NotificationType"] for n in spec["NotificationsWithSubscribers"]}
    assert kinds == {"ACTUAL", "FORECASTED"}
    for notification in spec["NotificationsWithSubscribers"]:
        assert notification["Subscribers"] == [
            {"SubscriptionType": "EMAIL", "Address": {"Ref": "OpsEmail"}}
        ]


def test_staging_deploys_on_a_new_account_without_reserved_concurrency():
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    staging = config["staging"]["deploy"]["parameters"]["parameter_overrides"]
    # A new account's concurrency quota is 10: any reservation (+18 for the indexer and the
    # EmbedFunction) would fail the deployment.
    assert 'WebhookReservedConcurrency="0"' in staging


# --- flood protection (FloodProtection=waf) ----------------------------------------------------

PROTECTED = (
    "ProtectedWebhookApi",
    "ProtectedWebhookResource",
    "ProtectedWebhookMethod",
    "ProtectedWebhookDeployment",
    "ProtectedWebhookStage",
    "ProtectedWebhookInvokePermission",
    "WebhookFirewall",
    "WebhookFirewallAssociation",
)


def test_flood_protection_is_off_by_default_and_conditional(template):
    parameter = template["Parameters"]["FloodProtection"]
    assert parameter["Default"] == "off" and parameter["AllowedValues"] == ["off", "waf"]
    for name in PROTECTED:
        assert template["Resources"][name]["Condition"] == "ProtectFromFloods", name
    assert template["Outputs"]["ProtectedWebhookUrl"]["Condition"] == "ProtectFromFloods"


def test_with_protection_the_plain_url_refuses_and_line_goes_through_the_firewall(template):
    stage = props(template, "WebhookApiApiGatewayDefaultStage")["DefaultRouteSettings"]
    assert stage["ThrottlingRateLimit"] == {"Fn::If": ["ProtectFromFloods", 0, 300]}
    assert stage["ThrottlingBurstLimit"] == {"Fn::If": ["ProtectFromFloods", 0, 1000]}
    method = props(template, "ProtectedWebhookMethod")
    assert method["HttpMethod"] == "POST" and method["Integration"]["Type"] == "AWS_PROXY"
    # The same alias as the HTTP API: the canary and its rollback apply to both doors.
    assert "WebhookFunctionAliaslive" in subs(method["Integration"]["Uri"])
    permission = props(template, "ProtectedWebhookInvokePermission")
    assert permission["FunctionName"] == {"Ref": "WebhookFunctionAliaslive"}
    assert permission["SourceArn"]["Fn::Sub"].endswith("${ProtectedWebhookApi}/line/POST/webhook")
    check = props(template, "HealthCheckFunction")["Environment"]["Variables"]
    url = check["MADOGUCHI_WEBHOOK_URL"]["Fn::If"]
    assert url[0] == "ProtectFromFloods" and "/line/webhook" in subs(url[1])


def test_the_firewall_refuses_unsigned_requests_and_rate_limits_other_agents(template):
    acl = props(template, "WebhookFirewall")
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    unsigned, rate = sorted(acl["Rules"], key=lambda rule: rule["Priority"])
    assert unsigned["Action"] == {"Block": {}}
    header = unsigned["Statement"]["NotStatement"]["Statement"]["SizeConstraintStatement"]
    assert header["FieldToMatch"] == {"SingleHeader": {"Name": "x-line-signature"}}
    limit = rate["Statement"]["RateBasedStatement"]
    assert limit["Limit"] == {"Ref": "FloodRequestsPer5Minutes"}
    assert limit["AggregateKeyType"] == "IP"
    agent = limit["ScopeDownStatement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert agent["SearchString"] == "LineBotWebhook/"  # LINE's own requests are never counted
    association = props(template, "WebhookFirewallAssociation")
    assert association["WebACLArn"] == {"Fn::GetAtt": ["WebhookFirewall", "Arn"]}
    assert "${ProtectedWebhookStage}" in subs(association["ResourceArn"])


def test_the_policy_scan_and_the_lint_cover_the_protected_variant():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = (ROOT / "scripts" / "lint_template.sh").read_text(encoding="utf-8")
    assert "template_variant.py template.yaml FloodProtection waf" in makefile
    assert "build/template.waf.yaml build/template.waf.json" in makefile
    assert "FloodProtection waf build/template.waf.yaml" in lint
