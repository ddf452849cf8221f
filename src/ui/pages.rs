pub mod admin_branches;
pub mod admin_roster;
pub mod admin_users;
pub mod home;
pub mod login;
pub mod not_found;
pub mod password;
