# Two commands for a fresh Debian/Ubuntu machine: `make run` and `make test`.
# Each installs what it needs first (system packages with apt, tauri-driver with cargo).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Builds are kept outside the checkout so a fresh clone (CI) reuses them.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/roster/target
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What the app links against and what the end-to-end tests drive it with.
APP_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev \
                libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev
TEST_PACKAGES := webkit2gtk-driver xvfb xdotool imagemagick desktop-file-utils \
                 openssh-server gnome-keyring dbus
# openssh-server: the real sshd the SFTP tests start on 127.0.0.1 (core/tests/sshd); gnome-keyring and
# dbus: the private Secret Service those tests keep the SFTP passphrase and password in.
# desktop-file-utils: tests/package.rs validates the .deb's desktop entry.

.PHONY: run test bench package screenshot rust app-packages test-packages tauri-driver tauri-cli

run: rust app-packages
	cargo run --bin roster

# The .deb is built first: tests/package.rs installs it into a temporary root and starts it.
test: rust app-packages test-packages tauri-driver package
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo test --workspace --locked

# Measures every budget of DESIGN.md (release build, 100,000 people) and writes bench/results.md.
BENCH_ROWS = $(CARGO_TARGET_DIR)/roster-bench/results-rows.md
bench: rust app-packages test-packages tauri-driver
	@$(call apt_install,sqlite3)
	@mkdir -p $(dir $(BENCH_ROWS)) && rm -f $(BENCH_ROWS)
	cargo bench --locked -p roster-core --bench budgets --bench hris
	cargo bench --locked -p roster --bench app
	bench/report $(BENCH_ROWS) > bench/results.md
	@cat bench/results.md

# A release .deb (Tauri's bundler, deb only: it works offline) with the app, rosterctl, the desktop
# entry and the icons, in $(CARGO_TARGET_DIR)/release/bundle/deb.
DEB_FILES = {"bundle":{"linux":{"deb":{"files":{"/usr/bin/rosterctl":"$(CARGO_TARGET_DIR)/release/rosterctl"}}}}}
package: rust app-packages tauri-cli
	cargo build --release --locked -p roster-core --bin rosterctl
	cargo tauri build --bundles deb --ci --config '$(DEB_FILES)' -- --locked

# Re-takes docs/directory.png, the README's screenshot, from the end-to-end run.
screenshot: rust app-packages test-packages tauri-driver
	ROSTER_UPDATE_SCREENSHOT=1 cargo test --locked --test e2e an_admin_sets_up_a_demo_company

rust:
	@command -v cargo >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy; }
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy

app-packages:
	@$(call apt_install,$(APP_PACKAGES))

test-packages:
	@$(call apt_install,$(TEST_PACKAGES))
	@# The real SMTP server the mail tests send to (core/tests/smtp).
	@python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install --quiet aiosmtpd 2>/dev/null \
	  || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-aiosmtpd; }

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version ^2

tauri-cli:
	@cargo tauri --version >/dev/null 2>&1 || cargo install tauri-cli --locked --version ^2

# Installs the packages of $(1) that are missing, and only those.
define apt_install
missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
if [ -n "$$missing" ]; then \
  echo "Installing $$missing"; \
  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
fi
endef
