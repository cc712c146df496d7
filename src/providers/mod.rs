//! Providers: one module per AWS service family behind one trait. The engine never names a
//! service; everything AWS-specific lives below this module.
