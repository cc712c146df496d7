//! Errors at the provider boundary: [`ApiError`] is one failed AWS call, classified once from
//! the SDK's error; [`ProviderError`] is what a provider operation returns to the engine, with
//! the resource address, the operation and, for a create that failed part-way, the object as far
//! as it exists.

use crate::config::value::Value;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;
use std::fmt;

/// What kind of failure an AWS call met, decided from AWS's error code (never from the HTTP
/// status alone: moto and AWS disagree on statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ApiErrorKind {
    /// The object does not exist (`ResourceNotFoundException`, `NoSuchEntity`, `*.NotFound`).
    NotFound,
    /// The object is in the wrong state or already exists (`ConflictException`,
    /// `DeleteConflict`, `EntityAlreadyExists`, `DependencyViolation`, a wrong application state).
    Conflict,
    /// AWS refused the input (`ValidationException`, `InvalidParameterValue`, `MalformedPolicyDocument`).
    Validation,
    /// The caller lacks permission (`AccessDenied*`, `UnauthorizedOperation`).
    AccessDenied,
    /// AWS rejected the call for its rate before doing anything (`Throttling*`, `RequestLimitExceeded`).
    /// Always safe to retry.
    Throttled,
    /// AWS answered with a server error (5xx, `InternalServerException`). The call may or may not
    /// have taken effect.
    Unavailable,
    /// No answer: connection refused or dropped, or the attempt timed out. The call may or may not
    /// have taken effect.
    Network,
    /// Anything else.
    Other,
}

impl ApiErrorKind {
    /// True when AWS cannot have acted on the call, so any call may be sent again.
    pub fn is_rejected_before_work(self) -> bool {
        matches!(self, ApiErrorKind::Throttled)
    }

    /// True when sending the call again may succeed (throttling, 5xx, network).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ApiErrorKind::Throttled | ApiErrorKind::Unavailable | ApiErrorKind::Network
        )
    }
}

/// One failed AWS call, as AWS reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The classified kind.
    pub kind: ApiErrorKind,
    /// AWS's error code (`ValidationException`), when it sent one.
    pub code: Option<String>,
    /// AWS's message, or the transport's when there was no answer.
    pub message: String,
    /// The request id, for AWS support.
    pub request_id: Option<String>,
    /// The HTTP status, when there was an answer. For information only.
    pub status: Option<u16>,
}

impl ApiError {
    /// An error of the given kind with a message and no AWS metadata (used by fakes and for
    /// conditions found by the provider itself).
    pub fn new(kind: ApiErrorKind, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            code: Some(code.to_string()),
            message: message.into(),
            request_id: None,
            status: None,
        }
    }

    /// True for [`ApiErrorKind::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.kind == ApiErrorKind::NotFound
    }

    /// True when the code equals `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }

    /// Classifies any SDK error. This is the one place SDK errors become ours.
    pub fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> ApiError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let request_id = err.request_id().map(str::to_string);
        let status = err.raw_response().map(|r| r.status().as_u16());
        match &err {
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => ApiError {
                kind: ApiErrorKind::Network,
                code: None,
                message: error_chain(&err),
                request_id,
                status,
            },
            SdkError::ConstructionFailure(_) => ApiError {
                kind: ApiErrorKind::Other,
                code: None,
                message: error_chain(&err),
                request_id,
                status,
            },
            _ => {
                let code = err.code().map(str::to_string);
                let message = err
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| error_chain(&err));
                let kind = classify(code.as_deref(), status);
                ApiError {
                    kind,
                    code,
                    message,
                    request_id,
                    status,
                }
            }
        }
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Classifies an AWS error code (with the HTTP status as a tie-breaker for unmodelled errors).
pub fn classify(code: Option<&str>, status: Option<u16>) -> ApiErrorKind {
    let Some(code) = code else {
        return match status {
            Some(429) => ApiErrorKind::Throttled,
            Some(s) if s >= 500 => ApiErrorKind::Unavailable,
            _ => ApiErrorKind::Other,
        };
    };
    match code {
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "SlowDown"
        | "PriorRequestNotComplete"
        | "BandwidthLimitExceeded" => ApiErrorKind::Throttled,
        "InternalServerException"
        | "InternalServerError"
        | "InternalFailure"
        | "InternalError"
        | "ServiceUnavailable"
        | "ServiceUnavailableException"
        | "ServiceFailure"
        | "ServerException"
        | "Unavailable"
        | "RequestTimeout"
        | "RequestTimeoutException" => ApiErrorKind::Unavailable,
        "NoSuchEntity"
        | "ResourceNotFoundException"
        | "RepositoryNotFoundException"
        | "RepositoryPolicyNotFoundException"
        | "ImageNotFoundException"
        | "NotFoundException" => ApiErrorKind::NotFound,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "AuthFailure"
        | "ExpiredToken"
        | "ExpiredTokenException" => ApiErrorKind::AccessDenied,
        "ConflictException"
        | "DeleteConflict"
        | "EntityAlreadyExists"
        | "DependencyViolation"
        | "RepositoryAlreadyExistsException"
        | "ResourceAlreadyExistsException"
        | "AlreadyExistsException"
        | "RepositoryNotEmptyException"
        | "InvalidPermission.Duplicate"
        | "ConcurrentModification"
        | "LimitExceeded"
        | "IncorrectState"
        | "IdempotentParameterMismatch"
        | "Resource.AlreadyAssociated"
        | "RouteAlreadyExists"
        | "InvalidGroup.Duplicate"
        | "BucketAlreadyExists"
        | "BucketAlreadyOwnedByYou"
        | "BucketNotEmpty"
        | "OperationAborted" => ApiErrorKind::Conflict,
        "ValidationException"
        | "ValidationError"
        | "MalformedPolicyDocument"
        | "MalformedPolicyDocumentException"
        | "InvalidInput"
        | "InvalidParameterException"
        | "InvalidParameterValue"
        | "InvalidParameterCombination"
        | "MissingParameter"
        | "InvalidParameter"
        | "MalformedPolicy"
        | "MalformedXML"
        | "IllegalLocationConstraintException" => ApiErrorKind::Validation,
        // S3: NoSuchBucket, NoSuchKey, NoSuchBucketPolicy, NoSuchTagSet, ...,
        // ServerSideEncryptionConfigurationNotFoundError, ObjectLockConfigurationNotFoundError.
        c if c.starts_with("NoSuch") || c.ends_with("NotFoundError") => ApiErrorKind::NotFound,
        c if c.ends_with(".NotFound") || c.ends_with(".Malformed") && c.contains("ID") => {
            ApiErrorKind::NotFound
        }
        c if c.ends_with("NotFoundException") || c.ends_with("NotFound") => ApiErrorKind::NotFound,
        c if c.starts_with("Invalid") => ApiErrorKind::Validation,
        _ => match status {
            Some(s) if s >= 500 => ApiErrorKind::Unavailable,
            _ => ApiErrorKind::Other,
        },
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What a provider operation returns when it fails. Every variant names the resource address
/// and the operation so the user sees where and what; the AWS error keeps AWS's code, message
/// and request id.
///
/// `partial` carries the object as far as it exists when a create or update failed after AWS
/// made something (an application created but never reaching CREATED, a role created whose
/// policy attachment failed). The engine must record a `partial` object in state (as tainted)
/// so the next plan neither loses nor duplicates it.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// An AWS call failed.
    #[error("{address}: {operation} failed: {source}")]
    Api {
        /// The resource instance address, e.g. `aws_iam_role.runtime`.
        address: String,
        /// The AWS operation, e.g. `CreateApplication`.
        operation: &'static str,
        /// AWS's error (boxed to keep results small).
        source: Box<ApiError>,
        /// The object as far as it exists, when it was partly created.
        partial: Option<Box<Value>>,
    },
    /// A waiter gave up.
    #[error("{address}: timed out after {seconds}s waiting for {waiting_for}")]
    Timeout {
        /// The resource instance address.
        address: String,
        /// What was awaited, e.g. `application state CREATED`.
        waiting_for: String,
        /// How long we waited.
        seconds: u64,
        /// The object as far as it exists.
        partial: Option<Box<Value>>,
    },
    /// The object reached a state from which the operation cannot go on (an application that
    /// ended in TERMINATED while being created).
    #[error("{address}: {message}")]
    UnexpectedState {
        /// The resource instance address.
        address: String,
        /// What happened, including AWS's state details.
        message: String,
        /// The object as far as it exists.
        partial: Option<Box<Value>>,
    },
    /// The provider refused to act, e.g. stopping an application while job runs are active
    /// without being told to.
    #[error("{address}: {message}")]
    Refused {
        /// The resource instance address.
        address: String,
        /// Why, and what to do about it.
        message: String,
    },
    /// The desired or prior value lacks something the provider needs (a bug in the caller or
    /// an unknown value reaching apply).
    #[error("{address}: invalid value: {message}")]
    InvalidValue {
        /// The resource instance address.
        address: String,
        /// What is wrong.
        message: String,
    },
    /// Building AWS clients failed (bad profile, no region).
    #[error("AWS configuration: {0}")]
    Config(String),
    /// No provider handles this resource or data source type.
    #[error("unsupported {kind} type {type_name:?}")]
    Unsupported {
        /// `resource` or `data source`.
        kind: &'static str,
        /// The type name.
        type_name: String,
    },
}

impl ProviderError {
    /// The partly created object, if the failure left one behind.
    pub fn partial(&self) -> Option<&Value> {
        match self {
            ProviderError::Api { partial, .. }
            | ProviderError::Timeout { partial, .. }
            | ProviderError::UnexpectedState { partial, .. } => partial.as_deref(),
            _ => None,
        }
    }

    /// Attaches a partly created object.
    pub fn with_partial(mut self, value: Value) -> ProviderError {
        match &mut self {
            ProviderError::Api { partial, .. }
            | ProviderError::Timeout { partial, .. }
            | ProviderError::UnexpectedState { partial, .. } => *partial = Some(Box::new(value)),
            _ => {}
        }
        self
    }

    /// The AWS error, when an AWS call failed.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            ProviderError::Api { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_classify_by_family() {
        assert_eq!(
            classify(Some("NoSuchEntity"), Some(404)),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("ResourceNotFoundException"), Some(400)),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("InvalidSubnetID.NotFound"), Some(400)),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("InvalidGroup.NotFound"), Some(400)),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("DeleteConflict"), Some(409)),
            ApiErrorKind::Conflict
        );
        // KMS and CloudWatch Logs name an existing alias or group this way.
        assert_eq!(
            classify(Some("AlreadyExistsException"), Some(400)),
            ApiErrorKind::Conflict
        );
        assert_eq!(
            classify(Some("ResourceAlreadyExistsException"), Some(400)),
            ApiErrorKind::Conflict
        );
        assert_eq!(
            classify(Some("MalformedPolicyDocumentException"), Some(400)),
            ApiErrorKind::Validation
        );
        assert_eq!(
            classify(Some("ValidationException"), Some(400)),
            ApiErrorKind::Validation
        );
        assert_eq!(
            classify(Some("Throttling"), Some(400)),
            ApiErrorKind::Throttled
        );
        assert_eq!(
            classify(Some("RequestLimitExceeded"), Some(503)),
            ApiErrorKind::Throttled
        );
        assert_eq!(
            classify(Some("InternalServerException"), Some(500)),
            ApiErrorKind::Unavailable
        );
        assert_eq!(classify(None, Some(502)), ApiErrorKind::Unavailable);
        assert_eq!(classify(None, Some(404)), ApiErrorKind::Other);
        assert_eq!(
            classify(Some("NoSuchBucketPolicy"), Some(404)),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(
                Some("ServerSideEncryptionConfigurationNotFoundError"),
                Some(404)
            ),
            ApiErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("BucketNotEmpty"), Some(409)),
            ApiErrorKind::Conflict
        );
        assert_eq!(
            classify(Some("UnauthorizedOperation"), Some(403)),
            ApiErrorKind::AccessDenied
        );
    }

    #[test]
    fn provider_error_names_address_operation_and_aws_message() {
        let e = ProviderError::Api {
            address: "aws_emrserverless_application.main".into(),
            operation: "UpdateApplication",
            source: Box::new(ApiError {
                kind: ApiErrorKind::Validation,
                code: Some("ValidationException".into()),
                message: "bad".into(),
                request_id: Some("r-1".into()),
                status: Some(400),
            }),
            partial: None,
        };
        assert_eq!(
            e.to_string(),
            "aws_emrserverless_application.main: UpdateApplication failed: ValidationException: bad (request id r-1)"
        );
        let e = e.with_partial(Value::map([("id", Value::from("x"))]));
        assert_eq!(
            e.partial().and_then(|v| v.get("id")),
            Some(&Value::from("x"))
        );
    }
}
