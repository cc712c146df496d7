//! The one place where the tests know that moto is not AWS (shared moto-notes). Provider code
//! never does; tests call these helpers instead of spreading moto special cases around.
//!
//! | moto | AWS | how the tests cope |
//! |---|---|---|
//! | a new EMR Serverless application is STARTED at once | CREATING → CREATED | every update test goes through the STARTED → stop → update → start path |
//! | `releaseLabel` must match `emr-X.Y.0` | real releases | [`RELEASE_LABEL`], [`NEXT_RELEASE_LABEL`] |
//! | `type` must be upper case (`SPARK`), is returned as `Spark` | case-insensitive | the provider sends upper case and keeps state lower case anyway |
//! | architecture, image, runtime, monitoring, interactive, scheduler configuration dropped; no tag APIs | kept | our launcher `tools/moto/emrform_moto.py` (E1–E3) keeps them |
//! | `update_application` replaces fields whole and ignores empty values (no removal) | removal works | tests never assert that removing a block converges |
//! | `ListJobRuns` fails with ResourceNotFound for an application without job runs | empty list | launcher E4 |
//! | `DeleteVpcEndpoints` on a gateway endpoint answers 500 and leaves it alive | deletes it | launcher E5 |
//! | `clientToken` is ignored (EMR CreateApplication, EC2 CreateRouteTable, CreateVpcEndpoint) | idempotent | launcher E6 honours it |
//! | terminated applications stay listed | they drop off | tests read by id only |
//! | `delete_policy` succeeds while attached | DeleteConflict | tests detach before deleting a policy |
//! | `get_policy_version` document not URL-encoded | encoded | the decoder accepts both |
//! | AWS managed policies absent unless `MOTO_IAM_LOAD_MANAGED_POLICIES` | present | launcher L3 loads them (hive-existing-vpc reads AmazonS3ReadOnlyAccess); provider tests still attach customer-managed policies |
//! | EMR `ListReleaseLabels` ignores `Filters` and pagination | filters on the server | the data source also applies the prefix; the test asserts the filtered result |
//! | default VPC has no internet gateway; `/29` subnets accepted | IGW; /28 minimum | tests create their own VPCs with `/24`s |
//! | CloudWatch Logs `AssociateKmsKey`/`DisassociateKmsKey` not implemented; `logGroupClass` dropped | implemented; class returned | launcher E7 |
//! | KMS `GetKeyRotationStatus` has no `RotationPeriodInDays` | returned while rotation is on | launcher E8 |
//! | KMS `DescribeKey` leaves `KeyUsage` out when CreateKey did not send it | always returned | the provider always sends it (its default); tests do not import such keys |
//! | S3 GetBucketVersioning / GetBucketAccelerateConfiguration / GetBucketLogging answer a `Get...Response` root the Rust SDK rejects | `VersioningConfiguration`, ... | launcher E9 renames the root |
//! | S3 GetBucketRequestPayment not implemented (answers ListObjects) | `Payer` BucketOwner | launcher E10 answers it |
//! | S3 GetBucketEncryption after DeleteBucketEncryption: not found | the SSE-S3 default | [`assert_encryption_after_delete`] |

/// A release label moto accepts.
pub const RELEASE_LABEL: &str = "emr-7.1.0";

/// A later release label moto accepts (with the launcher, updates keep it).
pub const NEXT_RELEASE_LABEL: &str = "emr-7.2.0";

/// moto's fixed account id.
pub const ACCOUNT_ID: &str = "123456789012";

/// True when moto starts new applications at once (it does: no CREATING/CREATED).
pub const NEW_APPLICATIONS_ARE_STARTED: bool = true;

/// After DeleteBucketEncryption AWS answers its default (SSE-S3, `AES256`), so the resource
/// reads back as that default; moto answers ServerSideEncryptionConfigurationNotFoundError,
/// so it reads as gone. Checks the read after a delete matches moto.
pub fn assert_encryption_after_delete(read: Option<emrform::config::value::Value>) {
    assert_eq!(
        read, None,
        "moto forgets a deleted encryption configuration"
    );
}
