#!/usr/bin/env python3
"""Structural checks of deploy/ that schema validators cannot make.

Run by deploy/check.sh inside its venv (needs PyYAML). Every problem is printed
as `path: reason`; the exit status is 1 if there was any.

The facts the deployment files must agree with are read from the sources, not
repeated here: environment variables from `env = "..."` / `env::var("...")` in
src/, routes from src/server/mod.rs, the shutdown grace default from
src/server/config.rs, and the crate's targets from `cargo metadata`.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

problems: list[str] = []


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def fail(path: Path, reason: str) -> None:
    problems.append(f"{rel(path)}: {reason}")


def check(cond: bool, path: Path, reason: str) -> bool:
    if not cond:
        fail(path, reason)
    return cond


# --- YAML -------------------------------------------------------------------


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the
    last one; kubectl and Slack reject or misread such files)."""


def _mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

yaml_docs: dict[Path, list] = {}


def load_all_yaml() -> str:
    files = sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        fail(DEPLOY, "no YAML files found")
    for path in files:
        try:
            with path.open(encoding="utf-8") as fh:
                docs = [d for d in yaml.load_all(fh, Loader=StrictLoader) if d is not None]
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            fail(path, f"not valid YAML: {e}".replace("\n", " "))
            continue
        if not docs:
            fail(path, "empty YAML file")
            continue
        for i, doc in enumerate(docs):
            check(isinstance(doc, dict), path, f"document {i + 1} is not a mapping")
        yaml_docs[path] = docs
    return f"YAML: {len(yaml_docs)} files parse, no duplicate keys"


class Unparsed(Exception):
    """A file that did not parse (already reported): skip the checks that need it."""


def doc(path: Path) -> dict:
    docs = yaml_docs.get(path)
    if not docs or not isinstance(docs[0], dict):
        if not path.is_file():
            fail(path, "missing")
        raise Unparsed(path)
    return docs[0]


def dig(obj, *keys, default=None):
    for k in keys:
        if isinstance(obj, dict) and k in obj:
            obj = obj[k]
        elif isinstance(obj, list) and isinstance(k, int) and -len(obj) <= k < len(obj):
            obj = obj[k]
        else:
            return default
    return obj


# --- facts from the sources ---------------------------------------------------


def known_env_vars() -> set[str]:
    names = {"RUST_LOG"}
    pat = re.compile(r'\benv\s*=\s*"([A-Z][A-Z0-9_]*)"|env::var(?:_os)?\(\s*"([A-Z][A-Z0-9_]*)"')
    for rs in (ROOT / "src").rglob("*.rs"):
        for m in pat.finditer(rs.read_text(encoding="utf-8")):
            names.add(m.group(1) or m.group(2))
    return names


def routes() -> set[str]:
    src = ROOT / "src" / "server" / "mod.rs"
    return set(re.findall(r'\.route\(\s*"([^"]+)"', src.read_text(encoding="utf-8")))


def default_shutdown_grace() -> int:
    src = ROOT / "src" / "server" / "config.rs"
    m = re.search(
        r'env\s*=\s*"TESTSCOPE_SHUTDOWN_GRACE_SECS"\s*,\s*default_value_t\s*=\s*(\d+)',
        src.read_text(encoding="utf-8"),
    )
    if not m:
        fail(src, "cannot find the default of TESTSCOPE_SHUTDOWN_GRACE_SECS")
        return 10
    return int(m.group(1))


ENV = known_env_vars()
ROUTES = routes()
GRACE = default_shutdown_grace()


def check_env_names(path: Path, names, where: str) -> None:
    for name in names:
        if name.startswith(("TESTSCOPE_", "SLACK_")) or name == "RUST_LOG":
            check(name in ENV, path, f"{where}: {name} is not a variable testscope reads (typo?)")


def addr_port(addr: str, path: Path, where: str) -> int | None:
    m = re.fullmatch(r"(?:\[[^\]]+\]|[^:]+):(\d+)", str(addr))
    if not check(bool(m), path, f"{where}: TESTSCOPE_ADDR {addr!r} is not host:port"):
        return None
    return int(m.group(1))


def seconds(value) -> float | None:
    """Compose durations (`20s`, `1m30s`) or plain numbers."""
    if isinstance(value, (int, float)):
        return float(value)
    total, rest = 0.0, str(value)
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", rest):
        total += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6}[unit]
    return total if re.fullmatch(r"(\d+(\.\d+)?(ms|us|h|m|s))+", rest) else None


def is_route(url_or_path: str) -> bool:
    path = re.sub(r"^https?://[^/]+", "", url_or_path)
    return path in ROUTES


# --- Kubernetes ---------------------------------------------------------------


def k8s() -> str:
    dep_p, svc_p = DEPLOY / "k8s/deployment.yaml", DEPLOY / "k8s/service.yaml"
    pdb_p, sec_p = DEPLOY / "k8s/pdb.yaml", DEPLOY / "k8s/secret.example.yaml"
    dep, svc, pdb, sec = doc(dep_p), doc(svc_p), doc(pdb_p), doc(sec_p)
    for p, d, kind in ((dep_p, dep, "Deployment"), (svc_p, svc, "Service"),
                       (pdb_p, pdb, "PodDisruptionBudget"), (sec_p, sec, "Secret")):
        check(d.get("kind") == kind, p, f"expected kind {kind}, found {d.get('kind')!r}")

    replicas = dig(dep, "spec", "replicas")
    check(replicas == 2, dep_p, f"spec.replicas must be 2, found {replicas!r}")
    pod_labels = dig(dep, "spec", "template", "metadata", "labels", default={}) or {}
    match = dig(dep, "spec", "selector", "matchLabels", default={}) or {}
    check(bool(match) and all(pod_labels.get(k) == v for k, v in match.items()), dep_p,
          f"spec.selector.matchLabels {match} does not select the pod labels {pod_labels}")

    pod = dig(dep, "spec", "template", "spec", default={}) or {}
    containers = pod.get("containers") or []
    c = next((c for c in containers if c.get("name") == "testscope"), containers[0] if containers else {})
    check(bool(c), dep_p, "no container")
    where = f"container {c.get('name')!r}"
    check((c.get("args") or c.get("command") or [])[-1:] == ["serve"], dep_p,
          f"{where}: must run `testscope serve` (args: [\"serve\"])")
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}

    def probe(kind: str, want: str) -> None:
        get = dig(c, kind, "httpGet", default={}) or {}
        check(get.get("path") == want, dep_p, f"{where}: {kind} must GET {want}, found {get.get('path')!r}")
        check(want in ROUTES, dep_p, f"{where}: {want} is not a route in src/server/mod.rs")
        port = get.get("port")
        check(port in ports or port in ports.values(), dep_p,
              f"{where}: {kind} port {port!r} is not a container port {ports}")

    probe("livenessProbe", "/healthz")
    probe("readinessProbe", "/readyz")

    requests = dig(c, "resources", "requests", default={}) or {}
    check("cpu" in requests and "memory" in requests, dep_p,
          f"{where}: resources.requests needs cpu and memory, found {requests}")

    def sc(key):
        v = dig(c, "securityContext", key)
        return dig(pod, "securityContext", key) if v is None else v

    check(sc("runAsNonRoot") is True, dep_p, f"{where}: runAsNonRoot must be true (pod or container)")
    check(sc("runAsUser") not in (0, "0"), dep_p, f"{where}: runAsUser must not be 0")
    check(dig(c, "securityContext", "allowPrivilegeEscalation") is False, dep_p,
          f"{where}: allowPrivilegeEscalation must be false")

    env = {e.get("name"): e.get("value") for e in c.get("env") or []}
    check_env_names(dep_p, env, where)
    secret_refs = [dig(e, "secretRef", "name") for e in c.get("envFrom") or [] if "secretRef" in e]
    secret_name = dig(sec, "metadata", "name")
    check(secret_name in secret_refs, dep_p,
          f"{where}: envFrom must reference Secret {secret_name!r} (secret.example.yaml), found {secret_refs}")
    if "TESTSCOPE_ADDR" in env:
        port = addr_port(env["TESTSCOPE_ADDR"], dep_p, where)
        check(port in ports.values(), dep_p,
              f"{where}: TESTSCOPE_ADDR port {port} is not a containerPort {ports}")

    grace = int(env.get("TESTSCOPE_SHUTDOWN_GRACE_SECS") or GRACE)
    pre = dig(c, "lifecycle", "preStop", "exec", "command", default=[]) or []
    pre_sleep = int(pre[-1]) if pre[:1] == ["/bin/sleep"] and str(pre[-1]).isdigit() else 0
    tgps = pod.get("terminationGracePeriodSeconds", 30)
    check(tgps > pre_sleep + grace, dep_p,
          f"terminationGracePeriodSeconds {tgps} must exceed preStop {pre_sleep} s + shutdown grace {grace} s")

    # Secret: what the Deployment expects to find in it.
    data = {**(sec.get("stringData") or {}), **(sec.get("data") or {})}
    for key in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "TESTSCOPE_DATABASE_URL"):
        check(key in data, sec_p, f"the Secret must carry {key}")
    check(str((sec.get("stringData") or {}).get("TESTSCOPE_DATABASE_URL", "postgres://")).startswith(
        ("postgres://", "postgresql://")), sec_p,
        "TESTSCOPE_DATABASE_URL must be postgres://... (two replicas share one database)")
    check_env_names(sec_p, data, "Secret")

    # Service: selects the pods and targets the named port.
    sel = dig(svc, "spec", "selector", default={}) or {}
    check(bool(sel) and all(pod_labels.get(k) == v for k, v in sel.items()), svc_p,
          f"spec.selector {sel} does not select the Deployment's pod labels {pod_labels}")
    svc_ports = dig(svc, "spec", "ports", default=[]) or []
    check(bool(svc_ports), svc_p, "no ports")
    for p in svc_ports:
        t = p.get("targetPort")
        check(isinstance(t, str) and t in ports, svc_p,
              f"port {p.get('name') or p.get('port')}: targetPort must name a container port {list(ports)}, found {t!r}")

    # PodDisruptionBudget: same pods, and it must not block every drain.
    psel = dig(pdb, "spec", "selector", "matchLabels", default={}) or {}
    check(bool(psel) and all(pod_labels.get(k) == v for k, v in psel.items()), pdb_p,
          f"spec.selector.matchLabels {psel} does not select the Deployment's pod labels {pod_labels}")
    min_av = dig(pdb, "spec", "minAvailable")
    if isinstance(min_av, int) and isinstance(replicas, int):
        check(1 <= min_av < replicas, pdb_p,
              f"minAvailable {min_av} with {replicas} replicas: must be at least 1 and below the replica count")
    return (f"Kubernetes: Deployment ({replicas} replicas, probes, requests, non-root, Secret "
                  f"{secret_name}), Service and PDB select "
                  + ",".join(f"{k}={v}" for k, v in pod_labels.items()))


# --- Compose ------------------------------------------------------------------

COMPOSE_SERVICE_KEYS = {
    "build", "image", "restart", "env_file", "environment", "ports", "expose", "depends_on",
    "healthcheck", "volumes", "command", "entrypoint", "user", "read_only", "cap_drop", "cap_add",
    "security_opt", "stop_grace_period", "stop_signal", "networks", "labels", "logging", "deploy",
    "tmpfs", "container_name", "working_dir", "init", "ulimits", "mem_limit", "cpus", "profiles",
    "secrets", "configs", "pull_policy", "extra_hosts", "hostname",
}


def compose() -> str:
    p = DEPLOY / "compose.yaml"
    d = doc(p)
    services = d.get("services") or {}
    for name in ("testscope", "db"):
        check(name in services, p, f"services.{name} is missing")
    for name, s in services.items():
        for key in s or {}:
            check(key in COMPOSE_SERVICE_KEYS, p, f"services.{name}: unknown key {key!r} (typo?)")
    ts, db = services.get("testscope") or {}, services.get("db") or {}

    build = ts.get("build") or {}
    ctx = (p.parent / str(build.get("context", "."))).resolve()
    dockerfile = ctx / str(build.get("dockerfile", "Dockerfile"))
    check(dockerfile.is_file(), p, f"services.testscope.build: {rel(dockerfile)} does not exist")

    env_files = ts.get("env_file")
    env_files = [env_files] if isinstance(env_files, (str, dict)) else (env_files or [])
    check(bool(env_files), p, "services.testscope: env_file is missing (the Slack secrets come from it)")
    for ef in env_files:
        ef_path = (p.parent / str(ef.get("path") if isinstance(ef, dict) else ef)).resolve()
        template = ef_path.with_name(ef_path.name + ".example")
        check(ef_path.exists() or template.is_file(), p,
              f"env_file {rel(ef_path)}: neither it nor {rel(template)} (the template to copy) exists")
        if template.is_file():  # the template people copy into the env file (and /etc/testscope/env)
            names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", template.read_text(encoding="utf-8"), re.M)
            check_env_names(template, names, "variable")

    env = ts.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    check_env_names(p, env, "services.testscope.environment")
    url = str(env.get("TESTSCOPE_DATABASE_URL", ""))
    check(re.match(r"postgres(ql)?://[^@]+@db[:/]", url) is not None, p,
          f"services.testscope: TESTSCOPE_DATABASE_URL must point at the db service, found {url!r}")
    db_env = db.get("environment") or {}
    for key, part in (("POSTGRES_USER", r"//([^:@]+)"), ("POSTGRES_DB", r"/([^/?]+)(?:\?|$)")):
        m = re.search(part, url)
        if key in db_env and m:
            check(m.group(1) == str(db_env[key]), p,
                  f"services.testscope: database URL uses {m.group(1)!r}, db has {key}={db_env[key]!r}")

    dep = ts.get("depends_on") or {}
    cond = dig(dep, "db", "condition") if isinstance(dep, dict) else None
    check(cond == "service_healthy", p,
          f"services.testscope.depends_on.db.condition must be service_healthy, found {cond!r}")

    for name, s, want in (("testscope", ts, "probe"), ("db", db, "pg_isready")):
        test = dig(s, "healthcheck", "test")
        flat = " ".join(test) if isinstance(test, list) else str(test or "")
        check(want in flat, p, f"services.{name}.healthcheck.test must use {want}, found {test!r}")
    hc = " ".join(dig(ts, "healthcheck", "test", default=[]) or [])
    check("/healthz" in hc, p, "services.testscope.healthcheck must probe /healthz")

    port = addr_port(env.get("TESTSCOPE_ADDR", "0.0.0.0:3000"), p, "services.testscope")
    published = [str(x).rsplit(":", 1)[-1].split("/")[0] for x in ts.get("ports") or []]
    check(str(port) in published, p, f"services.testscope.ports {published} do not expose TESTSCOPE_ADDR port {port}")
    check(f":{port}/healthz" in hc, p, f"services.testscope.healthcheck must probe port {port}")

    grace = int(env.get("TESTSCOPE_SHUTDOWN_GRACE_SECS") or GRACE)
    stop = seconds(ts.get("stop_grace_period", "10s"))
    check(stop is not None and stop > grace, p,
          f"services.testscope.stop_grace_period ({ts.get('stop_grace_period', '10s (default)')}) must exceed "
          f"the shutdown grace of {grace} s")
    return ("Compose: testscope + db, healthchecks, env_file (.env.example names known), "
            "depends_on service_healthy, PostgreSQL URL, stop_grace_period")


# --- Slack manifest -------------------------------------------------------------


def slack_manifest() -> str:
    p = DEPLOY / "slack-app-manifest.yaml"
    d = doc(p)
    cmds = dig(d, "features", "slash_commands", default=[]) or []
    check(len(cmds) >= 1, p, "features.slash_commands is empty")
    urls = {}
    for i, c in enumerate(cmds):
        check(str(c.get("command", "")).startswith("/"), p,
              f"features.slash_commands[{i}].command must start with '/', found {c.get('command')!r}")
        urls[f"features.slash_commands[{i}].url"] = (c.get("url"), "/slack/commands")
    urls["settings.event_subscriptions.request_url"] = (
        dig(d, "settings", "event_subscriptions", "request_url"), "/slack/events")
    urls["settings.interactivity.request_url"] = (
        dig(d, "settings", "interactivity", "request_url"), "/slack/interactions")
    hosts = set()
    for where, (url, suffix) in urls.items():
        url = str(url or "")
        check(url.startswith("https://") and url.endswith(suffix), p,
              f"{where} must be an https:// URL ending in {suffix}, found {url!r}")
        check(suffix in ROUTES, p, f"{where}: {suffix} is not a route in src/server/mod.rs")
        hosts.add(re.sub(r"^https://([^/]+).*$", r"\1", url))
    check(len(hosts) == 1, p, f"the request URLs point at different hosts: {sorted(hosts)}")
    check(dig(d, "settings", "interactivity", "is_enabled") is True, p, "settings.interactivity.is_enabled must be true")
    events = dig(d, "settings", "event_subscriptions", "bot_events", default=[]) or []
    check("app_mention" in events, p, f"settings.event_subscriptions.bot_events must include app_mention, found {events}")

    shortcuts = dig(d, "features", "shortcuts", default=[]) or []
    ids = [s.get("callback_id") for s in shortcuts]
    check("testscope_advise" in ids, p, f"features.shortcuts needs callback_id testscope_advise, found {ids}")
    adv = next((s for s in shortcuts if s.get("callback_id") == "testscope_advise"), None)
    if adv is not None:
        check(adv.get("type") == "message", p, "the testscope_advise shortcut must be a message shortcut")
    src = (ROOT / "src").rglob("*.rs")
    check(any("testscope_advise" in f.read_text(encoding="utf-8") for f in src), p,
          "callback_id testscope_advise does not appear in src/ (the server would ignore the shortcut)")

    scopes = set(dig(d, "oauth_config", "scopes", "bot", default=[]) or [])
    need = {"app_mentions:read", "chat:write", "commands", "channels:history", "groups:history"}
    check(need <= scopes, p, f"oauth_config.scopes.bot is missing {sorted(need - scopes)}")
    check(dig(d, "settings", "socket_mode_enabled") is not True, p,
          "socket_mode_enabled must be false: testscope answers over HTTP")
    return (f"Slack manifest: {len(urls)} request URLs on {sorted(hosts)[0] if hosts else '?'}, "
                  f"shortcut testscope_advise, {len(scopes)} bot scopes")


def _urls(obj, path=""):
    """Every key ending in `url` anywhere in a manifest, with its path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            where = f"{path}.{k}" if path else str(k)
            if str(k).endswith("url") or str(k).endswith("urls"):
                yield where
            yield from _urls(v, where)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _urls(v, f"{path}[{i}]")


def slack_manifest_socket() -> str:
    p = DEPLOY / "slack-app-manifest-socket.yaml"
    http = doc(DEPLOY / "slack-app-manifest.yaml")
    d = doc(p)
    check(dig(d, "settings", "socket_mode_enabled") is True, p,
          "settings.socket_mode_enabled must be true: this is the Socket Mode manifest")
    urls = list(_urls(d))
    check(not urls, p, f"a Socket Mode manifest has no request URLs, found {urls}")
    check(dig(d, "settings", "interactivity", "is_enabled") is True, p,
          "settings.interactivity.is_enabled must be true (buttons, the message shortcut)")
    # The two manifests describe one app: the same commands, shortcut, events
    # and scopes, so neither mode quietly lacks a feature.
    def cmds(m):
        return sorted(str(c.get("command")) for c in dig(m, "features", "slash_commands", default=[]) or [])

    def shortcuts(m):
        return sorted(str(s.get("callback_id")) for s in dig(m, "features", "shortcuts", default=[]) or [])

    same = {
        "features.slash_commands[].command": (cmds(d), cmds(http)),
        "features.shortcuts[].callback_id": (shortcuts(d), shortcuts(http)),
        "settings.event_subscriptions.bot_events": (
            sorted(dig(d, "settings", "event_subscriptions", "bot_events", default=[]) or []),
            sorted(dig(http, "settings", "event_subscriptions", "bot_events", default=[]) or []),
        ),
        "oauth_config.scopes.bot": (
            sorted(dig(d, "oauth_config", "scopes", "bot", default=[]) or []),
            sorted(dig(http, "oauth_config", "scopes", "bot", default=[]) or []),
        ),
    }
    for where, (mine, theirs) in same.items():
        check(mine == theirs, p, f"{where} differs from slack-app-manifest.yaml: {mine} vs {theirs}")
    for i, c in enumerate(dig(d, "features", "slash_commands", default=[]) or []):
        check(str(c.get("command", "")).startswith("/"), p,
              f"features.slash_commands[{i}].command must start with '/', found {c.get('command')!r}")
    check("SLACK_APP_TOKEN" in ENV, p, "SLACK_APP_TOKEN is not a variable testscope reads")
    return (f"Slack Socket Mode manifest: no request URLs, socket_mode_enabled, "
            f"same commands, shortcut, events and scopes as the HTTP manifest")


# --- Dockerfile ---------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuations joined and comments dropped."""
    out, buf, start = [], "", 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if buf and s.startswith("#"):
            continue
        if not buf:
            start = n
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        word, _, rest = buf.partition(" ")
        out.append((start, word.upper(), rest.strip()))
        buf = ""
    return out


def cargo_targets() -> list[tuple[str, str]]:
    """(kind, path relative to the root) of every target cargo sees."""
    if shutil.which("cargo"):
        r = subprocess.run(["cargo", "metadata", "--no-deps", "--offline", "--format-version", "1"],
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode == 0:
            meta = json.loads(r.stdout)
            return [(t["kind"][0], rel(Path(t["src_path"]))) for pkg in meta["packages"] for t in pkg["targets"]]
        fail(ROOT / "Cargo.toml", f"cargo metadata failed: {r.stderr.strip()[:300]}")
        return []
    import tomllib  # Python 3.11+

    manifest = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    out = [("lib", manifest.get("lib", {}).get("path", "src/lib.rs"))]
    out += [("bin", b.get("path", f"src/bin/{b['name']}.rs")) for b in manifest.get("bin", [])]
    out += [("bench", b.get("path", f"benches/{b['name']}.rs")) for b in manifest.get("bench", [])]
    out += [("example", rel(e)) for e in sorted((ROOT / "examples").glob("*.rs"))]
    return [(k, p) for k, p in out if (ROOT / p).exists()]


def dockerfile() -> str:
    p = DEPLOY / "Dockerfile"
    ins = dockerfile_instructions(p)
    froms = [i for i, (_, w, _) in enumerate(ins) if w == "FROM"]
    if not check(len(froms) >= 2, p, "expected a build stage and a runtime stage"):
        return
    build, final = ins[froms[0]:froms[-1]], ins[froms[-1]:]

    for line, word, args in ins:
        if word == "RUN":
            check(not re.search(r"\|\|\s*(true|:)\b", args), p,
                  f"line {line}: `|| true` hides a failing build step")
        if word == "FROM":
            image = args.split()[0]
            check(":" in image and not image.endswith(":latest"), p, f"line {line}: pin a tag for {image}")

    # The dependency layer: a stub for every target, before the sources are copied.
    copy_src = next((i for i, (_, w, a) in enumerate(build) if w == "COPY" and a.split()[0] == "src"), None)
    check(copy_src is not None, p, "the build stage never copies src/")
    stub_runs = " ".join(a for _, w, a in build[:copy_src] if w == "RUN")
    check("cargo build" in stub_runs and "--locked" in stub_runs, p,
          "the dependency layer must run `cargo build --locked` on stubs before COPY src")
    manifest_copied = any(w == "COPY" and "Cargo.toml" in a and "Cargo.lock" in a for _, w, a in build[:copy_src])
    check(manifest_copied, p, "Cargo.toml and Cargo.lock must be copied before the stub build")
    targets = [(k, t) for k, t in cargo_targets() if k in ("lib", "bin", "bench", "example")]
    for kind, path in targets:
        check(re.search(rf"(>|touch)\s*{re.escape(path)}\b", stub_runs) is not None, p,
              f"the stub build creates no {path} ({kind} target): cargo cannot load the manifest without it")
    after = build[copy_src:]
    copied = {a.split()[0].rstrip("/") for _, w, a in after if w == "COPY" and "--from" not in a}
    check("responses" in copied, p, "responses/ must be copied before the real build (include_str!)")
    real_runs = " ".join(a for _, w, a in after if w == "RUN")
    for kind, path in targets:
        if kind in ("lib", "bin"):
            check(path.split("/")[0] in copied, p, f"the real build never copies {path}")
            check(re.search(rf"touch\b[^&;]*\b{re.escape(path)}\b", real_runs) is not None, p,
                  f"touch {path} after COPY: COPY keeps older mtimes, so cargo could keep the stub")
    check("cargo build --release --locked --bin testscope" in real_runs, p,
          "the real build must be `cargo build --release --locked --bin testscope`")

    # The runtime stage.
    users = [a for _, w, a in final if w == "USER"]
    user = users[-1].split(":")[0] if users else "root"
    check(user not in ("root", "0"), p, f"the runtime image must run as a non-root USER, found {user!r}")
    check(user.isdigit(), p, "USER should be numeric so Kubernetes can verify runAsNonRoot")
    dep = doc(DEPLOY / "k8s/deployment.yaml")
    k8s_uid = dig(dep, "spec", "template", "spec", "securityContext", "runAsUser")
    if k8s_uid is not None and user.isdigit():
        check(int(user) == k8s_uid, p, f"USER {user} differs from the Deployment's runAsUser {k8s_uid}")
    hc = [a for _, w, a in final if w == "HEALTHCHECK"]
    check(bool(hc) and "probe" in hc[-1] and "/healthz" in hc[-1], p,
          "the runtime image needs HEALTHCHECK ... testscope probe http://127.0.0.1:PORT/healthz")
    entry = " ".join(a for _, w, a in final if w == "ENTRYPOINT")
    check("/usr/local/bin/testscope" in entry, p, "ENTRYPOINT must be /usr/local/bin/testscope")
    cmd = " ".join(a for _, w, a in final if w == "CMD")
    check("serve" in cmd, p, 'CMD must be ["serve"]')
    env_args = " ".join(a for _, w, a in final if w == "ENV")
    env_names = re.findall(r"\b([A-Z][A-Z0-9_]*)=", env_args)
    check_env_names(p, env_names, "ENV")
    m = re.search(r"TESTSCOPE_ADDR=(\S+)", env_args)
    port = addr_port(m.group(1), p, "ENV") if m else 3000
    exposed = " ".join(a for _, w, a in final if w == "EXPOSE").split()
    check(str(port) in [e.split("/")[0] for e in exposed], p, f"EXPOSE {exposed} lacks TESTSCOPE_ADDR port {port}")
    if hc:
        check(f":{port}/healthz" in hc[-1], p, f"HEALTHCHECK must probe port {port}")
        check(is_route("/healthz"), p, "/healthz is not a route in src/server/mod.rs")

    # The Dockerfile-specific ignore file must keep what COPY needs and drop secrets.
    ign_p = DEPLOY / "Dockerfile.dockerignore"
    if check(ign_p.is_file(), ign_p, "missing: without it the build context includes target/ and .env"):
        lines = [ln.strip() for ln in ign_p.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.strip().startswith("#")]
        if "*" in lines:
            sources = {w for _, word, a in ins if word == "COPY" and "--from" not in a for w in a.split()[:-1]}
            for s in sorted(sources):
                check(f"!{s.rstrip('/')}" in lines, ign_p, f"COPY {s} needs `!{s.rstrip('/')}` after `*`")
        else:
            for must in (".env", "target", ".git"):
                check(any(ln.strip("/") == must for ln in lines), ign_p, f"must exclude {must}")
    return (f"Dockerfile: stubs for {', '.join(t for _, t in targets)}; runtime USER {user}, "
                  f"HEALTHCHECK probe on :{port}")


# --- systemd ------------------------------------------------------------------


def systemd_unit() -> str:
    p = DEPLOY / "testscope.service"
    entries: dict[str, list[str]] = {}
    section = ""
    for line in p.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not s or s[0] in "#;":
            continue
        if s.startswith("["):
            section = s.strip("[]")
            continue
        k, _, v = s.partition("=")
        entries.setdefault(f"{section}.{k.strip()}", []).append(v.strip())
    get = lambda k: (entries.get(k) or [None])[-1]  # noqa: E731
    exec_start = shlex.split(get("Service.ExecStart") or "")
    check(exec_start[1:2] == ["serve"], p, f"ExecStart must run `testscope serve`, found {exec_start}")
    check(get("Service.EnvironmentFile") is not None, p, "EnvironmentFile= (the Slack secrets) is missing")
    env = {}
    for e in entries.get("Service.Environment", []):
        for kv in shlex.split(e):
            k, _, v = kv.partition("=")
            env[k] = v
    check_env_names(p, env, "Environment=")
    db = env.get("TESTSCOPE_DATABASE_URL", "")
    check(db.startswith("sqlite://"), p, f"the single-host unit should use SQLite, found {db!r}")
    state = get("Service.StateDirectory")
    if db.startswith("sqlite:///") and state:
        check(db.startswith(f"sqlite:///var/lib/{state}/"), p,
              f"the SQLite file must live in the StateDirectory /var/lib/{state} (the only writable place)")
    grace = int(env.get("TESTSCOPE_SHUTDOWN_GRACE_SECS") or GRACE)
    stop = get("Service.TimeoutStopSec")
    check(stop is not None and stop.isdigit() and int(stop) > grace, p,
          f"TimeoutStopSec ({stop}) must exceed the shutdown grace of {grace} s")
    check(get("Install.WantedBy") == "multi-user.target", p, "WantedBy=multi-user.target is missing")
    return (f"systemd unit: `{' '.join(exec_start)}`, SQLite in /var/lib/{state}, TimeoutStopSec {stop}")


def main() -> int:
    for step in (load_all_yaml, k8s, compose, slack_manifest, slack_manifest_socket, dockerfile, systemd_unit):
        before = len(problems)
        try:
            summary = step()
        except Unparsed:
            continue
        except Exception as e:  # a malformed file must be reported, not crash the check
            problems.append(f"{step.__name__}: cannot check ({type(e).__name__}: {e})")
        if len(problems) == before:
            print(f"  ok    {summary}")
    for line in problems:
        print(f"  FAIL  {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
