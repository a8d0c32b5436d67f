//! interop.
