//! Policy lint: IAM policy documents checked against rules with stable IDs.
