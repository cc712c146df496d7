//! `emrform init` fetching module sources: a git URL (`git::file://…//subdir?ref=tag`) and a
//! registry address with a `version` constraint, served by a registry speaking the module
//! registry protocol on loopback. The lock records what was fetched; a second init fetches
//! nothing (the registry is gone by then).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        ok.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// A module registry for one module, `acme/emr/aws`, whose 1.2.0 download points at `repo`.
/// Serves `requests` requests, then stops.
fn registry(repo: &Path, requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let target = format!("git::file://{}?ref=v1.2.0", repo.display());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut s) = stream else { continue };
            let mut line = String::new();
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            if r.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            seen.push(path.clone());
            let (status, headers, body) = match path.as_str() {
                "/.well-known/terraform.json" => ("200 OK", String::new(), r#"{"modules.v1":"/v1/modules/"}"#.to_string()),
                "/v1/modules/acme/emr/aws/versions" => (
                    "200 OK",
                    String::new(),
                    r#"{"modules":[{"versions":[{"version":"0.9.0"},{"version":"1.2.0"},{"version":"2.0.0"}]}]}"#.to_string(),
                ),
                "/v1/modules/acme/emr/aws/1.2.0/download" => ("204 No Content", format!("X-Terraform-Get: {target}\r\n"), String::new()),
                _ => ("404 Not Found", String::new(), String::new()),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        seen
    });
    (url, handle)
}

#[test]
fn init_fetches_git_and_registry_modules_and_locks_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    // The module repository: a tag v1.2.0, then a later commit that must not be used.
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("sub")).expect("mkdir");
    std::fs::write(
        repo.join("main.tf"),
        "variable \"name\" {\n  type = string\n}\noutput \"greeting\" {\n  value = \"top ${var.name}\"\n}\n",
    )
    .expect("write");
    std::fs::write(
        repo.join("sub/main.tf"),
        "output \"cidr\" {\n  value = cidrsubnet(\"10.0.0.0/16\", 8, 1)\n}\n",
    )
    .expect("write");
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "--quiet", "-m", "v1.2.0"]);
    git(&repo, &["tag", "v1.2.0"]);
    std::fs::write(repo.join("sub/main.tf"), "this is not HCL {{{\n").expect("write");
    git(&repo, &["commit", "--quiet", "-am", "later, broken"]);

    let root = tmp.path().join("stack");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(
        root.join("main.tf"),
        format!(
            r#"
module "net" {{
  source = "git::file://{}//sub?ref=v1.2.0"
}}

module "app" {{
  source  = "acme/emr/aws"
  version = "~> 1.0"
  name    = "spark"
}}

output "cidr" {{
  value = module.net.cidr
}}

output "greeting" {{
  value = module.app.greeting
}}
"#,
            repo.display()
        ),
    )
    .expect("write");

    let emrform = |args: &[&str], registry: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_emrform"));
        c.args(args).current_dir(&root).env("NO_COLOR", "1");
        match registry {
            Some(u) => c.env("EMRFORM_REGISTRY_URL", u),
            None => c.env("EMRFORM_REGISTRY_URL", "http://127.0.0.1:9"),
        };
        c.output().expect("emrform runs")
    };

    // Before init the loader says what to do.
    let v = emrform(&["validate"], None);
    assert_eq!(v.status.code(), Some(1));
    let err = String::from_utf8_lossy(&v.stderr);
    assert!(
        err.contains("has not been fetched") && err.contains("emrform init"),
        "{err}"
    );

    let (url, server) = registry(&repo, 3);
    let o = emrform(&["init"], Some(&url));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("Fetched module \"net\""), "{out}");
    assert!(
        out.contains("Fetched module \"app\" from acme/emr/aws 1.2.0"),
        "{out}"
    );
    let seen = server.join().expect("registry thread");
    assert_eq!(
        seen,
        vec![
            "/.well-known/terraform.json",
            "/v1/modules/acme/emr/aws/versions",
            "/v1/modules/acme/emr/aws/1.2.0/download"
        ]
    );

    let lock: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(".emrform/modules/lock.json")).expect("lock"),
    )
    .expect("JSON");
    let app = lock["modules"]
        .as_array()
        .and_then(|m| m.iter().find(|e| e["key"] == "app"))
        .expect("app locked");
    assert_eq!(app["version"], "1.2.0");
    assert_eq!(app["constraint"], "~> 1.0");
    assert_eq!(app["commit"].as_str().map(str::len), Some(40));
    let net = lock["modules"]
        .as_array()
        .and_then(|m| m.iter().find(|e| e["key"] == "net"))
        .expect("net locked");
    assert_eq!(net["dir"], ".emrform/modules/net/sub");

    // The tagged copies are used: validate passes (the later commit would not parse).
    let v = emrform(&["validate"], None);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));

    // A second init fetches nothing: the registry is gone and git is not asked.
    let o = emrform(&["init"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Fetched"));
}

#[test]
fn init_names_a_module_it_cannot_resolve() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("main.tf"),
        "module \"vpc\" {\n  source  = \"acme/vpc/aws\"\n  version = \"~> 9.0\"\n}\n",
    )
    .expect("write");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .arg("init")
        .current_dir(tmp.path())
        .env("EMRFORM_REGISTRY_URL", &url)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("module \"vpc\" (acme/vpc/aws)"), "{err}");
}

/// Serves fixed responses by path until `requests` have been answered.
fn serve(
    routes: Vec<(&'static str, &'static str, String, Vec<u8>)>,
    requests: usize,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            seen.push(path.clone());
            let (status, headers, body) = routes
                .iter()
                .find(|(p, ..)| *p == path)
                .map(|(_, st, h, b)| (*st, h.clone(), b.clone()))
                .unwrap_or(("404 Not Found", String::new(), Vec::new()));
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(&body);
        }
        seen
    });
    (url, handle)
}

#[test]
fn init_unpacks_a_registry_module_served_as_a_tarball() {
    // The package: modules/app/main.tf inside a .tar.gz.
    let mut tarball = Vec::new();
    {
        let gz = flate2::write::GzEncoder::new(&mut tarball, flate2::Compression::default());
        let mut b = tar::Builder::new(gz);
        let body = b"output \"from_archive\" {\n  value = \"yes\"\n}\n";
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, "modules/app/main.tf", &body[..])
            .expect("append");
        b.into_inner().expect("tar").finish().expect("gz");
    }
    let (url, server) = serve(
        vec![
            (
                "/.well-known/terraform.json",
                "200 OK",
                String::new(),
                br#"{"modules.v1":"/v1/modules/"}"#.to_vec(),
            ),
            (
                "/v1/modules/acme/spark/aws/versions",
                "200 OK",
                String::new(),
                br#"{"modules":[{"versions":[{"version":"1.0.0"}]}]}"#.to_vec(),
            ),
            (
                "/v1/modules/acme/spark/aws/1.0.0/download",
                "204 No Content",
                "X-Terraform-Get: /archive/spark-1.0.0.tar.gz//modules/app\r\n".to_string(),
                Vec::new(),
            ),
            (
                "/archive/spark-1.0.0.tar.gz",
                "200 OK",
                String::new(),
                tarball,
            ),
        ],
        4,
    );
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("main.tf"),
        "module \"spark\" {\n  source  = \"acme/spark/aws\"\n  version = \"1.0.0\"\n}\n\noutput \"x\" {\n  value = module.spark.from_archive\n}\n",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .arg("init")
        .current_dir(tmp.path())
        .env("EMRFORM_REGISTRY_URL", &url)
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("Fetched module \"spark\" from acme/spark/aws 1.0.0 (commit sha256:"),
        "{out}"
    );
    assert_eq!(server.join().expect("server").len(), 4);
    assert!(tmp
        .path()
        .join(".emrform/modules/spark/modules/app/main.tf")
        .is_file());
    let v = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .arg("validate")
        .current_dir(tmp.path())
        .output()
        .expect("runs");
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

/// Modules `terraform init` fetched (`.terraform/modules/modules.json`, in Terraform's format)
/// are used as they are: `init` makes no network call and `validate` loads them.
#[test]
fn modules_terraform_fetched_are_used_without_network() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(
        root.join("main.tf"),
        "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 5.0\"\n  cidr    = \"10.0.0.0/16\"\n}\n\noutput \"cidr\" {\n  value = module.vpc.vpc_cidr_block\n}\n",
    )
    .expect("write");
    let dir = root.join(".terraform/modules/vpc");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("main.tf"),
        "variable \"cidr\" {\n  type = string\n}\n\noutput \"vpc_cidr_block\" {\n  value = var.cidr\n}\n",
    )
    .expect("write");
    std::fs::write(
        root.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.8.1","Dir":".terraform/modules/vpc"}]}"#,
    )
    .expect("write");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(args)
            .current_dir(root)
            // Nothing listens here: any registry call would fail the command.
            .env("EMRFORM_REGISTRY_URL", "http://127.0.0.1:9")
            .env("NO_COLOR", "1")
            .output()
            .expect("runs")
    };
    let o = run(&["init"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Fetched"));
    let v = run(&["validate"]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}
