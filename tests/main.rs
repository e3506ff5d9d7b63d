//! ferry's one integration test binary: every test drives the built `ferry` binary.

mod support;

mod badinput;
mod batch;
mod commands;
mod conformance;
mod contract;
mod docs;
mod faults;
mod ftp;
mod hosts;
mod interop;
mod jobs;
mod logging;
mod mirror;
mod monitoring;
mod roundtrips;
mod safety;
mod sftp;
