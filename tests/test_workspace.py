"""Workspace settings (compintel.toml) and finding the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from compintel.errors import WorkspaceError
from compintel.workspace import (
    CONFIG_NAME,
    ENV_VAR,
    GatherSettings,
    HttpSettings,
    ReportSettings,
    Workspace,
    WorkspaceSettings,
    init_workspace,
    parse_settings,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> WorkspaceError:
    path = write(tmp_path, text)
    with pytest.raises(WorkspaceError) as caught:
        parse_settings(path)
    return caught.value


# -- bad settings: file, line and key ---------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "field", "words"), [
    ('[workspace]\nname = "x"\ncolour = "red"\n', 3, "workspace.colour",
     ["unknown key 'colour'", "our_company"]),
    ('[workspace]\nname = "x"\n\n[http]\nretries = 2\ntimeout = 5\n', 6, "http.timeout",
     ["unknown key 'timeout'", "read_timeout"]),
    ('[gather]\nlisting_max_links = 5\nlisting_depth = 2\n', 3, "gather.listing_depth",
     ["unknown key"]),
    ('[report]\nparalel = 4\n', 2, "report.paralel", ["unknown key", "parallel"]),
], ids=["workspace", "http", "gather", "report"])
def test_unknown_key_names_file_line_and_key(tmp_path, text, line, field, words) -> None:
    error = error_for(tmp_path, text)
    assert (error.path, error.line, error.field) == (str(tmp_path / CONFIG_NAME), line, field)
    message = error.format()
    assert message.startswith(f"{tmp_path / CONFIG_NAME}:{line}: {field}: ")
    for word in words:
        assert word in message


def test_unknown_section_names_file_and_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, '[workspace]\nname = "x"\n\n[htttp]\nretries = 2\n')
    assert error.line == 4
    assert "[htttp]" in error.format() and "[http]" in error.format()


@pytest.mark.parametrize(("text", "line", "field", "expected"), [
    ('[workspace]\nname = "x"\n\n[http]\nretries = "three"\n', 5, "http.retries", "int"),
    ('[workspace]\nfictional = "yes"\n', 2, "workspace.fictional", "bool"),
    ('[workspace]\nour_company = 5\n', 2, "workspace.our_company", "str"),
    ('[report]\nparallel = true\n', 2, "report.parallel", "int"),      # a bool is not an int
    ('[http]\nread_timeout = "30"\n', 2, "http.read_timeout", "float"),
    ('[gather]\n# comment\nnear_duplicate_threshold = [0.7]\n', 3, "gather.near_duplicate_threshold",
     "float"),
])
def test_wrong_type_names_file_line_key_and_type(tmp_path, text, line, field, expected) -> None:
    error = error_for(tmp_path, text)
    assert (error.path, error.line, error.field) == (str(tmp_path / CONFIG_NAME), line, field)
    assert f"expected {expected}" in error.format()


@pytest.mark.parametrize(("text", "line", "field", "expected"), [
    ('[http]\nconnect_timeout = -5\n', 2, "http.connect_timeout", "must be more than 0, got -5 ("),
    ('[http]\nretries = 2\nread_timeout = 0\n', 3, "http.read_timeout", "must be more than 0, got 0 ("),
    ('[http]\nmax_bytes = -1\n', 2, "http.max_bytes", "must be more than 0, got -1 (the default is 10000000"),
    ('[report]\nparallel = -3\n', 2, "report.parallel", "must be more than 0, got -3 (the default is 2;"),
    ('[report]\ntimeout = -1\n', 2, "report.timeout", "must be 0 or more, got -1"),
    ('[http]\nrequest_deadline = -1.5\n', 2, "http.request_deadline", "must be more than 0, got -1.5"),
    ('[http]\nread_timeout = nan\n', 2, "http.read_timeout", "must be more than 0, got nan"),
    ('[http]\nconnect_timeout = inf\n', 2, "http.connect_timeout", "must be more than 0, got inf"),
    ('[http]\nretries = -1\n', 2, "http.retries", "must be 0 or more, got -1"),
    ('[http]\nmin_host_interval = -0.5\n', 2, "http.min_host_interval", "must be 0 or more"),
    ('[gather]\nlisting_max_links = 0\n', 2, "gather.listing_max_links", "must be more than 0"),
    ('[gather]\nlisting_max_depth = 0\n', 2, "gather.listing_max_depth", "must be more than 0"),
    ('[tag]\nmax_document_chars = 0\n', 2, "tag.max_document_chars", "must be more than 0"),
    ('[tables]\nmax_cells = -10\n', 2, "tables.max_cells", "must be more than 0"),
    ('\n\nhttp = { max_redirects = -1 }\n', 3, "http.max_redirects", "must be 0 or more"),
])
def test_a_number_out_of_range_names_file_line_key_and_range(tmp_path, text, line, field, expected) -> None:
    error = error_for(tmp_path, text)
    assert (error.path, error.line, error.field) == (str(tmp_path / CONFIG_NAME), line, field)
    assert error.format().startswith(f"{tmp_path / CONFIG_NAME}:{line}: {field}: {expected}")
    assert "delete the line" in error.format()


def test_zero_is_allowed_where_it_means_none(tmp_path: Path) -> None:
    settings = parse_settings(write(tmp_path, (
        "[http]\nretries = 0\nmin_host_interval = 0\nbackoff_factor = 0\nmax_redirects = 0\n"
        "max_retry_after = 0\nretry_wait_per_url = 0\nretry_wait_per_run = 0\n"
        "[gather]\nnear_duplicate_threshold = 1.5\n[report]\ntimeout = 0\n")))
    assert (settings.http.retries, settings.http.min_host_interval, settings.http.max_redirects) == (0, 0.0, 0)
    # a cell timeout of 0 is no limit; a threshold above 1 groups no stories (grouping off)
    assert (settings.report.timeout, settings.gather.near_duplicate_threshold) == (0, 1.5)


@pytest.mark.parametrize(("text", "line"), [
    ('[workspace]\nname = "x"\nour_company = \n', 3),
    ('[workspace]\nname = "unterminated\n', 2),
    ('[workspace]\nname = "x"\n\n[http\nretries = 1\n', 4),
])
def test_toml_syntax_error_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    error = error_for(tmp_path, text)
    assert error.path == str(tmp_path / CONFIG_NAME)
    assert error.line == line
    assert "TOML syntax error" in error.format()
    assert "\n" not in error.format()


@pytest.mark.parametrize("text", ["workspace = 3\n", "http = 5\n"], ids=["workspace", "http"])
def test_a_section_that_is_not_a_table_is_a_user_error(tmp_path: Path, text: str) -> None:
    error = error_for(tmp_path, text)
    assert error.line == 1


@pytest.mark.parametrize("text", ['\n\nhttp.retries = "three"\n',
                                  '\n\nhttp = { retries = "three" }\n'], ids=["dotted", "inline"])
def test_dotted_and_inline_keys_get_a_line_too(tmp_path: Path, text: str) -> None:
    error = error_for(tmp_path, text)
    assert error.field == "http.retries"
    assert error.line == 3


# -- defaults ---------------------------------------------------------------------------------

def test_an_empty_file_gives_every_default(tmp_path: Path) -> None:
    assert parse_settings(write(tmp_path, "# nothing set\n")) == WorkspaceSettings()


def test_absent_keys_keep_their_defaults(tmp_path: Path) -> None:
    settings = parse_settings(write(tmp_path, (
        '[workspace]\nname = "Team North"\n\n[http]\nretries = 5\nconnect_timeout = 3\n'
        '\n[report]\n')))
    assert settings.name == "Team North"
    assert settings.our_company is None and settings.fictional is False
    assert settings.store == "compintel.db"
    assert settings.http.retries == 5
    # an int where a float is expected is accepted as that float
    assert settings.http.connect_timeout == 3.0 and isinstance(settings.http.connect_timeout, float)
    defaults = HttpSettings()
    assert settings.http.read_timeout == defaults.read_timeout
    assert settings.http.user_agent == defaults.user_agent
    assert settings.http.respect_robots is True
    assert settings.gather == GatherSettings()
    assert settings.report == ReportSettings()


def test_the_demo_settings_load(demo_workspace: Path) -> None:
    settings = Workspace.load(demo_workspace).settings
    assert settings.our_company == "kestrel-glass" and settings.fictional is True
    assert settings.report.parallel == 2


def test_the_init_template_parses_to_defaults(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path / "fresh", name="North")
    assert workspace.settings == WorkspaceSettings(name="North")


def _init_error(root: Path, capsys) -> str:
    """The one line ``compintel init ROOT`` prints, checked to be a user error (status 2)."""
    from compintel.cli import main

    with pytest.raises(WorkspaceError) as caught:
        init_workspace(root)
    assert main(["init", str(root)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {caught.value.format()}\n" and "Traceback" not in err
    return caught.value.format()


def test_init_through_a_file_names_the_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    message = _init_error(tmp_path / "afile" / "ws", capsys)
    assert message.startswith(f"cannot create the workspace {tmp_path / 'afile' / 'ws'}: "
                              f"{tmp_path / 'afile'} is a file, not a folder (")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_init_where_a_file_takes_a_workspace_folder_name_names_it(tmp_path: Path, capsys) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "sources").write_text("x", encoding="utf-8")
    message = _init_error(tmp_path / "ws", capsys)
    assert f"{tmp_path / 'ws' / 'sources'} is a file, not a folder" in message


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_init_where_no_folder_can_be_made_says_so(capsys) -> None:
    message = _init_error(Path("/proc/compintel-nope"), capsys)
    assert message.startswith("cannot create the workspace /proc/compintel-nope: ")
    assert "choose a folder you may create and write to" in message


# -- finding the workspace --------------------------------------------------------------------

@pytest.fixture
def three_workspaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Workspaces explicit/, from-env/ and cwd/ (with a nested folder), env variable unset."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    roots = {}
    for name in ("explicit", "from-env", "cwd"):
        root = tmp_path / name
        root.mkdir()
        (root / CONFIG_NAME).write_text(f'[workspace]\nname = "{name}"\n', encoding="utf-8")
        roots[name] = root.resolve()
    nested = roots["cwd"] / "notebooks" / "scratch"
    nested.mkdir(parents=True)
    roots["nested"] = nested
    return roots


def test_explicit_path_beats_environment_and_cwd(three_workspaces, monkeypatch) -> None:
    monkeypatch.chdir(three_workspaces["nested"])
    monkeypatch.setenv(ENV_VAR, str(three_workspaces["from-env"]))
    found = Workspace.find(three_workspaces["explicit"])
    assert found.root == three_workspaces["explicit"]
    assert found.settings.name == "explicit"
    assert Workspace.find(str(three_workspaces["explicit"])).root == three_workspaces["explicit"]


def test_environment_beats_cwd(three_workspaces, monkeypatch) -> None:
    monkeypatch.chdir(three_workspaces["nested"])
    monkeypatch.setenv(ENV_VAR, str(three_workspaces["from-env"]))
    assert Workspace.find().root == three_workspaces["from-env"]


def test_nearest_folder_upward_from_cwd(three_workspaces, monkeypatch) -> None:
    monkeypatch.chdir(three_workspaces["nested"])
    assert Workspace.find().root == three_workspaces["cwd"]
    # a closer workspace wins over one further up
    (three_workspaces["nested"].parent / CONFIG_NAME).write_text("", encoding="utf-8")
    assert Workspace.find().root == three_workspaces["nested"].parent


def test_empty_environment_variable_is_ignored(three_workspaces, monkeypatch) -> None:
    monkeypatch.chdir(three_workspaces["cwd"])
    monkeypatch.setenv(ENV_VAR, "")
    assert Workspace.find().root == three_workspaces["cwd"]


def test_no_workspace_anywhere_hints_at_init(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    lonely = tmp_path / "no" / "workspace" / "here"
    lonely.mkdir(parents=True)
    monkeypatch.chdir(lonely)
    if any((folder / CONFIG_NAME).exists() for folder in lonely.resolve().parents):
        pytest.skip("a folder above the temporary directory is a compintel workspace")
    with pytest.raises(WorkspaceError) as caught:
        Workspace.find()
    message = caught.value.format()
    assert "compintel init" in message and ENV_VAR in message and "--workspace" in message


@pytest.mark.parametrize("how", ["explicit", "env"])
def test_a_missing_folder_hints_at_init(tmp_path, monkeypatch, how) -> None:
    missing = tmp_path / "nowhere"
    monkeypatch.chdir(tmp_path)
    if how == "explicit":
        monkeypatch.delenv(ENV_VAR, raising=False)
        call = lambda: Workspace.find(missing)  # noqa: E731
    else:
        monkeypatch.setenv(ENV_VAR, str(missing))
        call = Workspace.find
    with pytest.raises(WorkspaceError) as caught:
        call()
    message = caught.value.format()
    assert str(missing) in message
    assert f"compintel init {missing}" in message
    assert "\n" not in message


def test_a_folder_without_settings_hints_at_init(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        Workspace.find(tmp_path)
    assert CONFIG_NAME in caught.value.format() and "compintel init" in caught.value.format()


def test_workspace_locations(tmp_path: Path) -> None:
    write(tmp_path, '[workspace]\nstore = "data/team.db"\n')
    workspace = Workspace.find(tmp_path)
    root = tmp_path.resolve()
    assert workspace.config_path == root / CONFIG_NAME
    assert workspace.sources_dir == root / "sources"
    assert workspace.reports_dir == root / "reports"
    assert workspace.store_path == root / "data" / "team.db"
    assert workspace.relative(root / "sources" / "x.csv") == "sources/x.csv"


def test_the_init_template_shows_every_retry_and_redirect_setting_with_its_default(tmp_path: Path) -> None:
    import re
    from dataclasses import asdict

    from compintel.workspace import DEFAULT_CONFIG

    # the template's settings uncommented (our own contact and company aside) are the defaults
    lines = [re.sub(r"^# (?!(user_agent|our_company) )(?=\w+ = )", "", line)
             for line in DEFAULT_CONFIG.format(name="North").splitlines()]
    (tmp_path / CONFIG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Workspace.load(tmp_path).settings
    assert settings == WorkspaceSettings(name="North")
    shown = {match.group(1) for match in re.finditer(r"^# (\w+) = ", DEFAULT_CONFIG, re.M)}
    assert {"retries", "backoff_factor", "max_retry_after", "max_redirects", "request_deadline",
            "retry_wait_per_url", "retry_wait_per_run"} <= shown
    assert set(asdict(settings.tables)) <= shown
