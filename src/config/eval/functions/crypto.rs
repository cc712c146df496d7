//! Hash and crypto functions: md5, sha1, sha256, sha512 (hex), base64sha256, base64sha512,
//! their `file…` variants, bcrypt, uuid and uuidv5.

use super::filesystem::read_bytes;
use super::{arg_err, int_arg, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest<D: Digest>(data: &[u8]) -> Vec<u8> {
    D::digest(data).to_vec()
}

macro_rules! hash_fns {
    ($($name:ident, $file:ident, $d:ty, $enc:expr;)*) => {$(
        pub(super) fn $name(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
            let s = str_arg(&a, 0, "str")?;
            Ok(Value::String($enc(&digest::<$d>(s.as_bytes()))))
        }
        pub(super) fn $file(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
            let bytes = read_bytes(ctx, &a, 0)?;
            Ok(Value::String($enc(&digest::<$d>(&bytes))))
        }
    )*};
}

fn b64(b: &[u8]) -> String {
    STANDARD.encode(b)
}

hash_fns! {
    md5, filemd5, Md5, hex;
    sha1, filesha1, Sha1, hex;
    sha256, filesha256, Sha256, hex;
    sha512, filesha512, Sha512, hex;
    base64sha256, filebase64sha256, Sha256, b64;
    base64sha512, filebase64sha512, Sha512, b64;
}

pub(super) fn bcrypt(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let cost = if a.len() > 1 {
        int_arg(&a, 1, "cost")?
    } else {
        10
    };
    if !(4..=31).contains(&cost) {
        return Err(arg_err(
            1,
            "cost",
            format!("crypto/bcrypt: cost {cost} is outside allowed range (4,31)"),
        ));
    }
    let parts = ::bcrypt::hash_with_result(s.as_bytes(), cost as u32)
        .map_err(|e| FuncError::new(format!("error occurred generating password {e}")))?;
    Ok(Value::String(
        parts.format_for_version(::bcrypt::Version::TwoA),
    ))
}

pub(super) fn uuid(_: &FuncCtx<'_>, _a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(::uuid::Uuid::new_v4().to_string()))
}

pub(super) fn uuidv5(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let ns = str_arg(&a, 0, "namespace")?;
    let name = str_arg(&a, 1, "name")?;
    let namespace = match ns.as_str() {
        "dns" => ::uuid::Uuid::NAMESPACE_DNS,
        "url" => ::uuid::Uuid::NAMESPACE_URL,
        "oid" => ::uuid::Uuid::NAMESPACE_OID,
        "x500" => ::uuid::Uuid::NAMESPACE_X500,
        other => ::uuid::Uuid::parse_str(other).map_err(|e| {
            arg_err(
                0,
                "namespace",
                format!("uuidv5() doesn't support namespace {other} ({e})"),
            )
        })?,
    };
    Ok(Value::String(
        ::uuid::Uuid::new_v5(&namespace, name.as_bytes()).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn hashes() {
        assert_eq!(
            ok("md5", vec![s("hello world")]),
            s("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(
            ok("sha1", vec![s("hello world")]),
            s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            ok("sha256", vec![s("hello world")]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            ok("sha512", vec![s("hello world")]),
            s("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")
        );
        assert_eq!(
            ok("base64sha256", vec![s("hello world")]),
            s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            ok("base64sha512", vec![s("hello world")]),
            s("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")
        );
    }

    #[test]
    fn file_hashes() {
        let Ok(d) = tempfile::tempdir() else { panic!() };
        let _ = std::fs::write(d.path().join("f"), "hello world");
        assert_eq!(
            run_in(d.path(), "filemd5", vec![s("f")]),
            Ok(s("5eb63bbbe01eeed093cb22bb8f5acdc3"))
        );
        assert_eq!(
            run_in(d.path(), "filesha1", vec![s("f")]),
            Ok(s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"))
        );
        assert_eq!(
            run_in(d.path(), "filebase64sha256", vec![s("f")]),
            Ok(s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="))
        );
        assert!(
            matches!(run_in(d.path(), "filesha256", vec![s("f")]), Ok(Value::String(h)) if h.len() == 64)
        );
        assert!(
            matches!(run_in(d.path(), "filesha512", vec![s("f")]), Ok(Value::String(h)) if h.len() == 128)
        );
        assert!(
            matches!(run_in(d.path(), "filebase64sha512", vec![s("f")]), Ok(Value::String(h)) if h.len() == 88)
        );
        assert!(run_in(d.path(), "filemd5", vec![s("missing")]).is_err());
    }

    #[test]
    fn bcrypt_verifies() {
        let Value::String(h) = ok("bcrypt", vec![s("hello world"), n(4.0)]) else {
            panic!()
        };
        assert!(h.starts_with("$2a$04$"), "{h}");
        assert_eq!(::bcrypt::verify("hello world", &h).ok(), Some(true));
        assert_eq!(err("bcrypt", vec![s("x"), n(3.0)]).arg, Some(1));
    }

    #[test]
    fn uuids() {
        let Value::String(u) = ok("uuid", vec![]) else {
            panic!()
        };
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_eq!(
            ok("uuidv5", vec![s("dns"), s("example.com")]),
            s("cfbff0d1-9375-5685-968c-48ce8b15ae17")
        );
        assert_eq!(
            ok(
                "uuidv5",
                vec![s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("example.com")]
            ),
            s("cfbff0d1-9375-5685-968c-48ce8b15ae17")
        );
        assert!(err("uuidv5", vec![s("bogus"), s("x")])
            .message
            .contains("doesn't support namespace bogus"));
    }
}
