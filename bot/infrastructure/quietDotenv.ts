// natural loads dotenv 17, which prints tips on stdout when it loads. Import this module first
// so that logs and CLI output stay clean. Runs before config is parsed, hence its own file.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
