//! The integration suite: the real router (pages, server functions, meetings, guards)
//! over SurrealDB (in memory, or a server over `ws://` in the test command's second pass),
//! driven through HTTP requests as a browser would send them.

mod support;

mod access;
mod accounts;
mod admin;
mod agenda;
mod cli;
mod crash;
mod cycle;
mod editor;
mod evaluation;
mod faults;
mod first_password;
mod format;
mod fuzz;
mod injection;
mod instances;
mod leadership;
mod ledger;
mod libreoffice;
mod materials;
mod meetings;
mod notify;
mod ordering;
mod overview;
mod packs;
mod pages;
mod rectification_plan;
mod redirects;
mod review;
mod roster;
mod seed;
mod supervision;
mod tree;
