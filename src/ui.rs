//! Pages and the components they share. All text a person sees is Simplified Chinese.

pub mod components;
pub mod pages;
