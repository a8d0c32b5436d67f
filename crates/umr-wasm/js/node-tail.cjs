
module.exports = createApi(raw, '@UMR_VERSION@', @UMR_FEATURES@)
