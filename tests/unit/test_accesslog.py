from patrol.accesslog import AccessLog, redact_query


def test_secret_is_redacted_and_the_rest_kept():
    assert redact_query("key=abc&secret=s3cr3t&page=2") == "key=abc&secret=[redacted]&page=2"
    assert "s3cr3t" not in redact_query("SECRET=s3cr3t")


def test_middleware_logs_status_without_credentials(caplog):
    def app(environ, start_response):
        start_response("401 UNAUTHORIZED", [])
        return [b""]

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/user", "QUERY_STRING": "key=k&secret=topsecret",
               "HTTP_AUTHORIZATION": "Basic dG9wOnNlY3JldA==", "REMOTE_ADDR": "127.0.0.1"}
    with caplog.at_level("INFO", logger="patrol.access"):
        AccessLog(app)(environ, lambda status, headers, exc_info=None: None)
    line = caplog.records[-1].getMessage()
    assert "GET /api/user?key=k&secret=[redacted] 401" in line
    assert "topsecret" not in line and "dG9w" not in line
