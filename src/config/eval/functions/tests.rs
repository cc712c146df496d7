//! Tests of the function library through the evaluator, so argument handling, unknowns and
//! error messages are exercised as a configuration would.

use crate::config::eval::constant;
use crate::config::value::Value;

fn ev(src: &str) -> Value {
    let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    constant(&e).unwrap_or_else(|d| panic!("{src}: {}", d.message))
}

fn err(src: &str) -> String {
    let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    match constant(&e) {
        Ok(v) => panic!("{src} should fail, gave {v}"),
        Err(d) => d.message,
    }
}

fn s(x: &str) -> Value {
    Value::string(x)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn l(items: &[&str]) -> Value {
    Value::List(items.iter().map(|x| s(x)).collect())
}

#[test]
fn numeric() {
    assert_eq!(ev("abs(-3)"), n(3.0));
    assert_eq!(ev("ceil(1.2)"), n(2.0));
    assert_eq!(ev("floor(-1.2)"), n(-2.0));
    assert_eq!(ev("max(1, 5, 3)"), n(5.0));
    assert_eq!(ev("min(1, 5, -3)"), n(-3.0));
    assert_eq!(ev("pow(2, 10)"), n(1024.0));
    assert_eq!(ev("signum(-7)"), n(-1.0));
    assert_eq!(ev("log(16, 2)"), n(4.0));
    assert_eq!(ev("parseint(\"ff\", 16)"), n(255.0));
    assert_eq!(ev("parseint(\"-101\", 2)"), n(-5.0));
    assert!(!err("parseint(\"12\", 1)").is_empty());
    assert!(!err("max()").is_empty());
}

#[test]
fn strings() {
    assert_eq!(ev("lower(\"AbC\")"), s("abc"));
    assert_eq!(ev("upper(\"abc\")"), s("ABC"));
    assert_eq!(ev("title(\"hello world\")"), s("Hello World"));
    assert_eq!(ev("trim(\"?!hello?!\", \"!?\")"), s("hello"));
    assert_eq!(ev("trimspace(\"  x \\n\")"), s("x"));
    assert_eq!(ev("trimprefix(\"helloworld\", \"hello\")"), s("world"));
    assert_eq!(ev("trimsuffix(\"helloworld\", \"world\")"), s("hello"));
    assert_eq!(ev("chomp(\"x\\n\\n\")"), s("x"));
    assert_eq!(ev("join(\"-\", [\"a\", \"b\"], [\"c\"])"), s("a-b-c"));
    assert_eq!(ev("split(\",\", \"a,b\")"), l(&["a", "b"]));
    assert_eq!(ev("split(\",\", \"\")"), l(&[""]));
    assert_eq!(ev("substr(\"hello world\", 1, 4)"), s("ello"));
    assert_eq!(ev("substr(\"hello\", -3, -1)"), s("llo"));
    assert_eq!(ev("replace(\"1 + 2\", \"+\", \"-\")"), s("1 - 2"));
    assert_eq!(
        ev("replace(\"hello world\", \"/w.*d/\", \"there\")"),
        s("hello there")
    );
    assert_eq!(ev("strrev(\"abc\")"), s("cba"));
    assert_eq!(ev("strcontains(\"hello\", \"ell\")"), Value::Bool(true));
    assert_eq!(ev("startswith(\"hello\", \"he\")"), Value::Bool(true));
    assert_eq!(ev("endswith(\"hello\", \"lo\")"), Value::Bool(true));
    assert_eq!(ev("indent(2, \"a\\nb\")"), s("a\n  b"));
    assert_eq!(
        ev("regex(\"[a-z]+\", \"53453453.345345aaabbbccc23454\")"),
        s("aaabbbccc")
    );
    assert_eq!(
        ev("regex(\"(\\\\d+)-(\\\\d+)\", \"10-20\")"),
        l(&["10", "20"])
    );
    assert_eq!(
        ev("regex(\"(?P<y>\\\\d{4})\", \"in 2026\")"),
        Value::map([("y", s("2026"))])
    );
    assert_eq!(ev("regexall(\"[a-z]+\", \"1a2bb3\")"), l(&["a", "bb"]));
    assert!(!err("regex(\"x\", \"y\")").is_empty());
    assert!(!err("join(\",\", [null])").is_empty());
}

#[test]
fn format_verbs() {
    assert_eq!(ev("format(\"Hello, %s!\", \"Ander\")"), s("Hello, Ander!"));
    assert_eq!(ev("format(\"%d vCPU\", 4)"), s("4 vCPU"));
    assert_eq!(ev("format(\"%.2f\", 3.14159)"), s("3.14"));
    assert_eq!(ev("format(\"%05d\", 42)"), s("00042"));
    assert_eq!(ev("format(\"%-5s|\", \"ab\")"), s("ab   |"));
    assert_eq!(ev("format(\"%q\", \"x\")"), s("\"x\""));
    assert_eq!(ev("format(\"%v %v\", true, 1.5)"), s("true 1.5"));
    assert_eq!(ev("format(\"%#v\", {a = 1})"), s("{\"a\":1}"));
    assert_eq!(ev("format(\"%[2]s %[1]s\", \"a\", \"b\")"), s("b a"));
    assert_eq!(ev("format(\"100%%\")"), s("100%"));
    assert_eq!(ev("format(\"%x\", 255)"), s("ff"));
    assert!(!err("format(\"%d\")").is_empty());
    assert!(!err("format(\"%d\", 1.5)").is_empty());
    assert_eq!(
        ev("formatlist(\"%s-%s\", [\"a\", \"b\"], \"x\")"),
        l(&["a-x", "b-x"])
    );
    assert!(!err("formatlist(\"%s%s\", [\"a\"], [\"b\", \"c\"])").is_empty());
}

#[test]
fn collections() {
    assert_eq!(ev("length([1, 2])"), n(2.0));
    assert_eq!(ev("length({a = 1})"), n(1.0));
    assert_eq!(ev("length(\"héllo\")"), n(5.0));
    assert_eq!(ev("concat([\"a\"], [\"b\", \"c\"])"), l(&["a", "b", "c"]));
    assert_eq!(
        ev("merge({a = 1, b = 2}, {b = 3}, null)"),
        Value::map([("a", n(1.0)), ("b", n(3.0))])
    );
    assert_eq!(ev("element([\"a\", \"b\"], 3)"), s("b"));
    assert!(!err("element([], 0)").is_empty());
    assert_eq!(ev("lookup({a = \"x\"}, \"a\")"), s("x"));
    assert_eq!(ev("lookup({a = \"x\"}, \"b\", \"d\")"), s("d"));
    assert!(!err("lookup({a = 1}, \"b\")").is_empty());
    assert_eq!(ev("keys({b = 1, a = 2})"), l(&["a", "b"]));
    assert_eq!(
        ev("values({b = 1, a = 2})"),
        Value::List(vec![n(2.0), n(1.0)])
    );
    assert_eq!(ev("contains([\"a\"], \"a\")"), Value::Bool(true));
    assert_eq!(ev("coalesce(\"\", null, \"b\")"), s("b"));
    assert_eq!(ev("coalescelist([], [\"x\"])"), l(&["x"]));
    assert_eq!(ev("compact([\"a\", \"\", null, \"b\"])"), l(&["a", "b"]));
    assert_eq!(ev("distinct([\"a\", \"b\", \"a\"])"), l(&["a", "b"]));
    assert_eq!(ev("flatten([[\"a\"], [[\"b\"]], []])"), l(&["a", "b"]));
    assert_eq!(ev("reverse([\"a\", \"b\"])"), l(&["b", "a"]));
    assert_eq!(ev("range(3)"), Value::List(vec![n(0.0), n(1.0), n(2.0)]));
    assert_eq!(
        ev("range(1, 10, 4)"),
        Value::List(vec![n(1.0), n(5.0), n(9.0)])
    );
    assert_eq!(ev("slice([\"a\", \"b\", \"c\"], 1, 3)"), l(&["b", "c"]));
    assert!(!err("slice([\"a\"], 0, 5)").is_empty());
    assert_eq!(ev("sort([\"b\", \"a\"])"), l(&["a", "b"]));
    assert_eq!(ev("one([\"a\"])"), s("a"));
    assert_eq!(ev("one([])"), Value::Null);
    assert!(!err("one([1, 2])").is_empty());
    assert_eq!(ev("alltrue([true, \"true\"])"), Value::Bool(true));
    assert_eq!(ev("anytrue([false])"), Value::Bool(false));
    assert_eq!(ev("sum([1, 2.5])"), n(3.5));
    assert_eq!(
        ev("chunklist([\"a\", \"b\", \"c\"], 2)"),
        Value::List(vec![l(&["a", "b"]), l(&["c"])])
    );
    assert_eq!(
        ev("zipmap([\"a\", \"b\"], [1, 2])"),
        Value::map([("a", n(1.0)), ("b", n(2.0))])
    );
    assert_eq!(ev("index([\"a\", \"b\"], \"b\")"), n(1.0));
    assert_eq!(
        ev("setunion([\"a\"], [\"b\", \"a\"])"),
        Value::set(vec![s("a"), s("b")])
    );
    assert_eq!(
        ev("setintersection([\"a\", \"b\"], [\"b\"])"),
        Value::set(vec![s("b")])
    );
    assert_eq!(
        ev("setsubtract([\"a\", \"b\"], [\"b\"])"),
        Value::set(vec![s("a")])
    );
    assert_eq!(ev("length(setproduct([\"a\", \"b\"], [1, 2, 3]))"), n(6.0));
    assert_eq!(
        ev("matchkeys([\"i1\", \"i2\"], [\"a\", \"b\"], [\"b\"])"),
        l(&["i2"])
    );
    assert_eq!(
        ev("transpose({a = [\"1\", \"2\"], b = [\"2\"]})"),
        Value::map([("1", l(&["a"])), ("2", l(&["a", "b"]))])
    );
}

#[test]
fn encoding() {
    assert_eq!(
        ev("jsonencode({b = [1, true], a = \"<x>\"})"),
        s("{\"a\":\"\\u003cx\\u003e\",\"b\":[1,true]}")
    );
    assert_eq!(
        ev("jsondecode(\"{\\\"a\\\": [1, 2]}\")"),
        Value::map([("a", Value::List(vec![n(1.0), n(2.0)]))])
    );
    assert!(!err("jsondecode(\"{\")").is_empty());
    assert_eq!(ev("base64encode(\"Hello World\")"), s("SGVsbG8gV29ybGQ="));
    assert_eq!(ev("base64decode(\"SGVsbG8gV29ybGQ=\")"), s("Hello World"));
    assert_eq!(ev("urlencode(\"a b&c\")"), s("a+b%26c"));
    assert_eq!(
        ev("csvdecode(\"a,b\\n1,\\\"x,y\\\"\\n\")"),
        Value::List(vec![Value::map([("a", s("1")), ("b", s("x,y"))])])
    );
    assert_eq!(
        ev("textdecodebase64(textencodebase64(\"hé\", \"UTF-8\"), \"UTF-8\")"),
        s("hé")
    );
}

#[test]
fn hashes_and_files() {
    assert_eq!(
        ev("md5(\"hello world\")"),
        s("5eb63bbbe01eeed093cb22bb8f5acdc3")
    );
    assert_eq!(
        ev("sha1(\"hello world\")"),
        s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
    );
    assert_eq!(
        ev("sha256(\"hello world\")"),
        s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    );
    assert_eq!(
        ev("base64sha256(\"hello world\")"),
        s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    assert_eq!(ev("basename(\"foo/bar/baz.txt\")"), s("baz.txt"));
    assert_eq!(ev("dirname(\"foo/bar/baz.txt\")"), s("foo/bar"));
    assert_eq!(
        ev("uuidv5(\"dns\", \"www.terraform.io\")"),
        s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
    );
    assert_eq!(ev("uuid()"), Value::Unknown);
    let dir = std::env::temp_dir().join(format!("emrform-fn-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("jobs")).expect("mkdir");
    std::fs::write(dir.join("jobs/a.py"), "print(1)\n").expect("write");
    std::fs::write(dir.join("jobs/b.txt"), "x").expect("write");
    let d = dir.display();
    assert_eq!(ev(&format!("file(\"{d}/jobs/a.py\")")), s("print(1)\n"));
    assert_eq!(
        ev(&format!("filemd5(\"{d}/jobs/b.txt\")")),
        s("9dd4e461268c8034f5c8564e155c67a6")
    );
    assert_eq!(
        ev(&format!("fileset(\"{d}/jobs\", \"*.py\")")),
        Value::set(vec![s("a.py")])
    );
    assert_eq!(
        ev(&format!("fileexists(\"{d}/jobs/none\")")),
        Value::Bool(false)
    );
    assert!(!err(&format!("file(\"{d}/missing\")")).is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ip_networks() {
    assert_eq!(ev("cidrsubnet(\"10.0.0.0/16\", 6, 1)"), s("10.0.4.0/22"));
    assert_eq!(
        ev("cidrsubnet(\"172.16.0.0/12\", 4, 2)"),
        s("172.18.0.0/16")
    );
    assert_eq!(
        ev("cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)"),
        s("fd00:fd12:3456:7800:a200::/72")
    );
    assert!(!err("cidrsubnet(\"10.0.0.0/30\", 4, 0)").is_empty());
    assert!(!err("cidrsubnet(\"10.0.0.0/16\", 2, 4)").is_empty());
    assert_eq!(ev("cidrhost(\"10.12.112.0/20\", 16)"), s("10.12.112.16"));
    assert_eq!(ev("cidrhost(\"10.12.112.0/20\", -1)"), s("10.12.127.255"));
    assert_eq!(ev("cidrnetmask(\"172.16.0.0/12\")"), s("255.240.0.0"));
    assert_eq!(
        ev("cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)"),
        l(&[
            "10.1.0.0/20",
            "10.1.16.0/20",
            "10.1.32.0/24",
            "10.1.48.0/20"
        ])
    );
}

#[test]
fn conversions_and_time() {
    assert_eq!(ev("tostring(5)"), s("5"));
    assert_eq!(ev("tonumber(\"5\")"), n(5.0));
    assert!(!err("tonumber(\"x\")").is_empty());
    assert_eq!(ev("tobool(\"true\")"), Value::Bool(true));
    assert_eq!(
        ev("toset([\"b\", \"a\", \"b\"])"),
        Value::set(vec![s("a"), s("b")])
    );
    assert_eq!(ev("tolist(toset([\"a\"]))"), l(&["a"]));
    assert_eq!(ev("tomap({a = 1})"), Value::map([("a", n(1.0))]));
    assert_eq!(ev("sensitive(\"x\")"), s("x"));
    assert_eq!(ev("timestamp()"), Value::Unknown);
    assert_eq!(
        ev("timeadd(\"2017-11-22T00:00:00Z\", \"10m\")"),
        s("2017-11-22T00:10:00Z")
    );
    assert_eq!(
        ev("timecmp(\"2017-11-22T00:00:00Z\", \"2017-11-22T01:00:00Z\")"),
        n(-1.0)
    );
    assert_eq!(
        ev("formatdate(\"DD MMM YYYY hh:mm ZZZ\", \"2018-01-02T23:12:01Z\")"),
        s("02 Jan 2018 23:12 UTC")
    );
    assert_eq!(
        ev("formatdate(\"EEEE, MMMM D\", \"2018-01-02T23:12:01Z\")"),
        s("Tuesday, January 2")
    );
}

#[test]
fn unknown_arguments() {
    let e = hcl_edit::parser::parse_expr("x").expect("parse");
    let _ = e;
    // A function that does not handle unknowns returns unknown for any unknown argument; the
    // collection functions keep known shapes. (Unknowns cannot be written as constants, so the
    // registry is called directly.)
    use super::{call_for_plan as call, lookup, FuncCtx};
    let p = std::path::Path::new(".");
    let ctx = FuncCtx {
        module_dir: p,
        root_dir: p,
        cwd: p,
    };
    let f = |name: &str, args: Vec<Value>| {
        call(lookup(name).expect("exists"), &ctx, args).expect("no error")
    };
    assert_eq!(f("upper", vec![Value::Unknown]), Value::Unknown);
    assert_eq!(
        f(
            "length",
            vec![Value::List(vec![Value::Unknown, Value::Unknown])]
        ),
        n(2.0)
    );
    assert_eq!(
        f("jsonencode", vec![Value::map([("a", Value::Unknown)])]),
        Value::Unknown
    );
    assert_eq!(
        f("concat", vec![Value::List(vec![Value::Unknown]), l(&["b"])]),
        Value::List(vec![Value::Unknown, s("b")])
    );
    assert_eq!(
        f("keys", vec![Value::map([("a", Value::Unknown)])]),
        l(&["a"])
    );
    assert_eq!(
        f("coalesce", vec![Value::Null, Value::Unknown]),
        Value::Unknown
    );
}

#[test]
fn library_covers_what_real_configurations_use() {
    for name in [
        "jsonencode",
        "merge",
        "join",
        "replace",
        "filemd5",
        "cidrsubnet",
        "lookup",
        "concat",
        "element",
        "length",
        "file",
        "toset",
        "keys",
        "coalesce",
        "lower",
        "format",
        "formatlist",
        "filebase64sha256",
        "alltrue",
        "basename",
        "compact",
        "fileset",
        "one",
        "pathexpand",
        "range",
        "slice",
        "strcontains",
        "substr",
        "timestamp",
        "trim",
        "values",
    ] {
        assert!(super::lookup(name).is_some(), "{name} is missing");
    }
}
