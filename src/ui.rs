//! Pages and the components they share. All text a person sees is Simplified Chinese.

pub mod components;
pub mod pages;

/// The order people's names (and other Chinese labels) are listed in on screen: 拼音
/// (`crate::collation`). Pages render on the server; the browser build, which hydrates
/// islands only and never lays out these lists, keeps code-point order so it needs no
/// collation data.
pub fn on_screen_order(a: &str, b: &str) -> std::cmp::Ordering {
    #[cfg(feature = "ssr")]
    {
        crate::collation::by_pinyin(a, b)
    }
    #[cfg(not(feature = "ssr"))]
    {
        a.cmp(b)
    }
}
