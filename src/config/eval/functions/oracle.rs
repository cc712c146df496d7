//! Differential test against Terraform itself: each case is evaluated by `terraform console`
//! (wrapped in `jsonencode`) and by this library, and the JSON texts must be equal. Skipped,
//! with a message, where no `terraform` binary is installed.

use super::json::encode;
use super::testutil::{n, nl, run, s, sl};
use crate::config::value::Value;
use std::io::Write;
use std::process::{Command, Stdio};

/// One expression in Terraform syntax and the same call expressed as values.
struct Case {
    hcl: &'static str,
    name: &'static str,
    args: Vec<Value>,
}

fn case(hcl: &'static str, name: &'static str, args: Vec<Value>) -> Case {
    Case { hcl, name, args }
}

fn b(x: bool) -> Value {
    Value::Bool(x)
}

#[allow(clippy::approx_constant)]
fn cases() -> Vec<Case> {
    let obj = Value::map([("b", n(2.0)), ("a", s("x<y>&z"))]);
    vec![
        case("abs(-3.5)", "abs", vec![n(-3.5)]),
        case("ceil(1.2)", "ceil", vec![n(1.2)]),
        case("log(100, 10)", "log", vec![n(100.0), n(10.0)]),
        case("max(1, 9, 3)", "max", vec![n(1.0), n(9.0), n(3.0)]),
        case("parseint(\"7f\", 16)", "parseint", vec![s("7f"), n(16.0)]),
        case("pow(2, 10)", "pow", vec![n(2.0), n(10.0)]),
        case("chomp(\"x\\n\\n\")", "chomp", vec![s("x\n\n")]),
        case(
            "format(\"%s-%03d-%.2f-%v-%q-%x\", \"a\", 7, 3.14159, [1, \"b\"], \"q\", 255)",
            "format",
            vec![
                s("%s-%03d-%.2f-%v-%q-%x"),
                s("a"),
                n(7.0),
                n(3.14159),
                Value::List(vec![n(1.0), s("b")]),
                s("q"),
                n(255.0),
            ],
        ),
        case(
            "formatlist(\"%s=%s\", [\"a\", \"b\"], \"v\")",
            "formatlist",
            vec![s("%s=%s"), sl(&["a", "b"]), s("v")],
        ),
        case("indent(4, \"a\\nb\")", "indent", vec![n(4.0), s("a\nb")]),
        case(
            "join(\"-\", [\"a\", \"b\"], [\"c\"])",
            "join",
            vec![s("-"), sl(&["a", "b"]), sl(&["c"])],
        ),
        case(
            "regex(\"^(\\\\w+)-(\\\\d+)$\", \"app-42\")",
            "regex",
            vec![s("^(\\w+)-(\\d+)$"), s("app-42")],
        ),
        case(
            "regexall(\"\\\\d\", \"a1b2\")",
            "regexall",
            vec![s("\\d"), s("a1b2")],
        ),
        case(
            "replace(\"a-b-c\", \"/-(\\\\w)/\", \"_$1\")",
            "replace",
            vec![s("a-b-c"), s("/-(\\w)/"), s("_$1")],
        ),
        case("split(\"/\", \"a/b/c\")", "split", vec![s("/"), s("a/b/c")]),
        case(
            "substr(\"hello\", -3, 2)",
            "substr",
            vec![s("hello"), n(-3.0), n(2.0)],
        ),
        case(
            "title(\"emr serverless-app\")",
            "title",
            vec![s("emr serverless-app")],
        ),
        case("trimspace(\"  x \")", "trimspace", vec![s("  x ")]),
        case("upper(\"spark\")", "upper", vec![s("spark")]),
        case(
            "alltrue([true, \"true\"])",
            "alltrue",
            vec![Value::List(vec![b(true), s("true")])],
        ),
        case(
            "chunklist([1, 2, 3], 2)",
            "chunklist",
            vec![nl(&[1.0, 2.0, 3.0]), n(2.0)],
        ),
        case("coalesce(\"\", \"b\")", "coalesce", vec![s(""), s("b")]),
        case(
            "compact([\"a\", \"\", \"b\"])",
            "compact",
            vec![sl(&["a", "", "b"])],
        ),
        case(
            "concat([1], [2, 3])",
            "concat",
            vec![nl(&[1.0]), nl(&[2.0, 3.0])],
        ),
        case(
            "distinct([\"b\", \"a\", \"b\"])",
            "distinct",
            vec![sl(&["b", "a", "b"])],
        ),
        case(
            "element([\"a\", \"b\"], 3)",
            "element",
            vec![sl(&["a", "b"]), n(3.0)],
        ),
        case(
            "flatten([[1], [[2], 3]])",
            "flatten",
            vec![Value::List(vec![
                nl(&[1.0]),
                Value::List(vec![nl(&[2.0]), n(3.0)]),
            ])],
        ),
        case(
            "keys({b = 1, a = 2})",
            "keys",
            vec![Value::map([("b", n(1.0)), ("a", n(2.0))])],
        ),
        case("length(\"héllo\")", "length", vec![s("héllo")]),
        case(
            "lookup({a = \"x\"}, \"b\", \"d\")",
            "lookup",
            vec![Value::map([("a", s("x"))]), s("b"), s("d")],
        ),
        case(
            "merge({a = 1, b = 2}, {b = 3})",
            "merge",
            vec![
                Value::map([("a", n(1.0)), ("b", n(2.0))]),
                Value::map([("b", n(3.0))]),
            ],
        ),
        case("range(1, 10, 3)", "range", vec![n(1.0), n(10.0), n(3.0)]),
        case("reverse([1, 2])", "reverse", vec![nl(&[1.0, 2.0])]),
        case(
            "setproduct([\"a\"], [1, 2])",
            "setproduct",
            vec![sl(&["a"]), nl(&[1.0, 2.0])],
        ),
        case(
            "setunion([\"b\"], [\"a\", \"b\"])",
            "setunion",
            vec![sl(&["b"]), sl(&["a", "b"])],
        ),
        case(
            "slice([1, 2, 3], 1, 3)",
            "slice",
            vec![nl(&[1.0, 2.0, 3.0]), n(1.0), n(3.0)],
        ),
        case(
            "sort([\"b\", \"a\", \"10\", \"9\"])",
            "sort",
            vec![sl(&["b", "a", "10", "9"])],
        ),
        case("sum([1, 2.5])", "sum", vec![nl(&[1.0, 2.5])]),
        case(
            "transpose({a = [\"1\"], b = [\"1\", \"2\"]})",
            "transpose",
            vec![Value::map([("a", sl(&["1"])), ("b", sl(&["1", "2"]))])],
        ),
        case(
            "values({b = 1, a = 2})",
            "values",
            vec![Value::map([("b", n(1.0)), ("a", n(2.0))])],
        ),
        case(
            "zipmap([\"a\", \"b\"], [1, 2])",
            "zipmap",
            vec![sl(&["a", "b"]), nl(&[1.0, 2.0])],
        ),
        case("base64encode(\"héllo\")", "base64encode", vec![s("héllo")]),
        case(
            "csvdecode(\"a,b\\n1,2\\n\")",
            "csvdecode",
            vec![s("a,b\n1,2\n")],
        ),
        case(
            "jsondecode(\"{\\\"a\\\": [1, true, null]}\")",
            "jsondecode",
            vec![s("{\"a\": [1, true, null]}")],
        ),
        case(
            "jsonencode({b = 2, a = \"x<y>&z\"})",
            "jsonencode",
            vec![obj.clone()],
        ),
        case(
            "urlencode(\"a b/c?d=é\")",
            "urlencode",
            vec![s("a b/c?d=é")],
        ),
        case(
            "yamlencode({b = 2, a = \"x<y>&z\", l = [1, \"two\\nlines\"]})",
            "yamlencode",
            vec![Value::map([
                ("b", n(2.0)),
                ("a", s("x<y>&z")),
                ("l", Value::List(vec![n(1.0), s("two\nlines")])),
            ])],
        ),
        case(
            "yamldecode(\"a: [1, yes, ~]\")",
            "yamldecode",
            vec![s("a: [1, yes, ~]")],
        ),
        case(
            "textencodebase64(\"hi\", \"UTF-16LE\")",
            "textencodebase64",
            vec![s("hi"), s("UTF-16LE")],
        ),
        case("md5(\"emr\")", "md5", vec![s("emr")]),
        case("sha256(\"emr\")", "sha256", vec![s("emr")]),
        case("base64sha512(\"emr\")", "base64sha512", vec![s("emr")]),
        case(
            "uuidv5(\"url\", \"https://example.com\")",
            "uuidv5",
            vec![s("url"), s("https://example.com")],
        ),
        case(
            "formatdate(\"EEE, DD MMM YYYY hh:mm:ss ZZZ\", \"2024-02-29T13:04:05+01:00\")",
            "formatdate",
            vec![
                s("EEE, DD MMM YYYY hh:mm:ss ZZZ"),
                s("2024-02-29T13:04:05+01:00"),
            ],
        ),
        case(
            "timeadd(\"2024-02-28T23:00:00Z\", \"25h\")",
            "timeadd",
            vec![s("2024-02-28T23:00:00Z"), s("25h")],
        ),
        case(
            "timecmp(\"2024-01-01T00:00:00Z\", \"2024-01-01T01:00:00+01:00\")",
            "timecmp",
            vec![s("2024-01-01T00:00:00Z"), s("2024-01-01T01:00:00+01:00")],
        ),
        case(
            "cidrhost(\"10.0.16.0/20\", -2)",
            "cidrhost",
            vec![s("10.0.16.0/20"), n(-2.0)],
        ),
        case(
            "cidrnetmask(\"10.0.0.0/22\")",
            "cidrnetmask",
            vec![s("10.0.0.0/22")],
        ),
        case(
            "cidrsubnet(\"10.0.0.0/16\", 8, 200)",
            "cidrsubnet",
            vec![s("10.0.0.0/16"), n(8.0), n(200.0)],
        ),
        case(
            "cidrsubnets(\"2001:db8::/32\", 16, 8, 16)",
            "cidrsubnets",
            vec![s("2001:db8::/32"), n(16.0), n(8.0), n(16.0)],
        ),
        case(
            "tolist([\"a\", 1])",
            "tolist",
            vec![Value::List(vec![s("a"), n(1.0)])],
        ),
        case(
            "tomap({a = 1, b = \"x\"})",
            "tomap",
            vec![Value::map([("a", n(1.0)), ("b", s("x"))])],
        ),
        case("tonumber(\"1e3\")", "tonumber", vec![s("1e3")]),
        case(
            "toset([\"b\", \"a\", \"b\"])",
            "toset",
            vec![sl(&["b", "a", "b"])],
        ),
        case("tostring(12.5)", "tostring", vec![n(12.5)]),
    ]
}

#[test]
fn library_agrees_with_terraform() {
    let available = Command::new("terraform")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !available {
        eprintln!("skipped: terraform is not installed, so the differential test cannot run");
        return;
    }
    let Ok(dir) = tempfile::tempdir() else {
        panic!("cannot create a temporary directory")
    };
    let cases = cases();
    // Console prints only the last line's result when piped, so all cases go into one
    // expression: a JSON array of each case's own JSON text.
    let parts: Vec<String> = cases
        .iter()
        .map(|c| format!("jsonencode({})", c.hcl))
        .collect();
    let input = format!("jsonencode([{}])\n", parts.join(", "));
    let child = Command::new("terraform")
        .arg("console")
        .current_dir(dir.path())
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        panic!("cannot start terraform console")
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let Ok(out) = child.wait_with_output() else {
        panic!("terraform console did not finish")
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with('"'))
        .unwrap_or_default();
    let outer: Result<String, _> = serde_json::from_str(line);
    let wants: Result<Vec<String>, _> = outer
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    let Ok(wants) = wants else {
        panic!(
            "cannot read terraform console's output:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    };
    assert_eq!(wants.len(), cases.len());
    let mut failures = Vec::new();
    for (c, want) in cases.iter().zip(wants) {
        match run(c.name, c.args.clone()) {
            Ok(v) => {
                let got = encode(&v);
                if got != want {
                    failures.push(format!(
                        "{}\n  terraform: {want}\n  emrform:   {got}",
                        c.hcl
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: emrform failed: {}", c.hcl, e.message)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
