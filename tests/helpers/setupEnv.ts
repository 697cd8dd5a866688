// natural pulls dotenv, which prints tips on load; keep test output clean.
process.env.DOTENV_CONFIG_QUIET = 'true';
