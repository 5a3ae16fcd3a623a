# Two commands do all the set-up on a fresh clone: `make demo` and `make test`.
# Override PYTHON (a 3.11+ interpreter), VENV or DJANGO (a pip requirement) on the command line.

PYTHON ?= python3
VENV ?= .venv
DJANGO ?=
BIN := $(VENV)/bin
EXTRAS := dev,stripe,paypal,opayo,saleor,celery,oscar,testing
PYTEST_ARGS ?=

.PHONY: demo saleor-app test bench lint format clean chromium axe messages compilemessages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "jsg_privacy needs Python 3.11 or newer: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]" $(if $(DJANGO),"$(DJANGO)")
	@touch $@

# `make demo` serves the shop on 127.0.0.1:$(DEMO_PORT). Without STRIPE_SECRET_KEY, card payments go
# to localstripe (a local Stripe stand-in) on 127.0.0.1:$(STRIPE_PORT); without PAYPAL_CLIENT_SECRET,
# PayPal payments go to the local PayPal stand-in on 127.0.0.1:$(PAYPAL_PORT); without
# OPAYO_INTEGRATION_PASSWORD, Opayo card payments go to the local Opayo stand-in on
# 127.0.0.1:$(OPAYO_PORT). All are started here and stopped with the shop.
DEMO_PORT ?= 8000
STRIPE_PORT ?= 8420
PAYPAL_PORT ?= 8430
OPAYO_PORT ?= 8440

demo: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@$(BIN)/python -c 'import localstripe' 2>/dev/null || $(BIN)/python -m pip install --quiet "localstripe>=1.15.10"
	@echo "Serving the demo shop at http://127.0.0.1:$(DEMO_PORT) (admin: http://127.0.0.1:$(DEMO_PORT)/admin/)"
	@trap 'kill $$stripe $$paypal $$opayo 2>/dev/null' EXIT INT TERM; \
	if [ -z "$$STRIPE_SECRET_KEY" ]; then \
		echo "Card payments: localstripe on 127.0.0.1:$(STRIPE_PORT); pay with 4242 4242 4242 4242, any future expiry and CVC"; \
		$(BIN)/python -m jsg_privacy.payments.gateways.stripe.localstripe --port $(STRIPE_PORT) --state $(VENV)/localstripe.pickle \
			--webhook http://127.0.0.1:$(DEMO_PORT)/privacy/payments/webhook/stripe/ & stripe=$$!; \
		export STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT); \
	fi; \
	if [ -z "$$PAYPAL_CLIENT_SECRET" ]; then \
		echo "PayPal: the local PayPal stand-in on 127.0.0.1:$(PAYPAL_PORT); approve in its box"; \
		$(BIN)/python -m jsg_privacy.payments.gateways.paypal.standin --port $(PAYPAL_PORT) \
			--webhook http://127.0.0.1:$(DEMO_PORT)/privacy/payments/webhook/paypal/ & paypal=$$!; \
		export PAYPAL_API_BASE=http://127.0.0.1:$(PAYPAL_PORT); \
	fi; \
	if [ -z "$$OPAYO_INTEGRATION_PASSWORD" ]; then \
		echo "Opayo: the local Opayo stand-in on 127.0.0.1:$(OPAYO_PORT); pay with 4929 0000 0000 6, expiry MMYY e.g. 1230"; \
		$(BIN)/python -m jsg_privacy.payments.gateways.opayo.standin --port $(OPAYO_PORT) & opayo=$$!; \
		export OPAYO_API_BASE=http://127.0.0.1:$(OPAYO_PORT)/api/v1; \
	fi; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(DEMO_PORT)

# `make saleor-app` serves the example shop as a Saleor App (example_shop/settings_saleor.py, read
# docs/saleor.md): the manifest at http://127.0.0.1:$(DEMO_PORT)/privacy/saleor/manifest/, for the
# store at $$SALEOR_API_URL (default http://127.0.0.1:8001/graphql/), and the storefront API.
saleor-app:
	DJANGO_SETTINGS_MODULE=example_shop.settings_saleor $(MAKE) demo

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "chromium is not installed and this is not root: browser tests will be skipped" \
				"(sudo apt-get install chromium)"; \
		fi; \
	fi

# axe-core (npm, pinned in package-lock.json) for the browser tests' accessibility checks.
axe: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's npm for the accessibility checks"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm is not installed and this is not root: the accessibility checks will be skipped" \
			"(sudo apt-get install npm)"; \
	fi

# The main suite, then the django-oscar shop of tests_oscar/ (its own settings: pytest-django
# takes one settings module per session).
# OSCAR=0 leaves out the django-oscar shop's suite (tests_oscar/), which sets up a shop of its own.
OSCAR ?= 1
test: $(VENV)/.installed chromium axe
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest $(PYTEST_ARGS)
ifneq ($(OSCAR),0)
	$(BIN)/python -m pytest tests_oscar --ds tests_oscar.settings $(PYTEST_ARGS)
endif

bench: $(VENV)/.installed
	$(BIN)/python -m bench

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy jsg_privacy tests/typing

# The translation catalogues (docs/languages.md): `make messages` extracts new strings into the
# Welsh and French .po files (needs GNU gettext: apt-get install gettext) and compiles them;
# `make compilemessages` compiles only, with msgfmt when it is installed and with polib otherwise.
# The compiled .mo files are committed: nothing is compiled where the shop runs.
LOCALES := -l cy -l fr
messages: $(VENV)/.installed
	cd jsg_privacy && ../$(BIN)/django-admin makemessages $(LOCALES) --no-obsolete
	cd example_shop && ../$(BIN)/django-admin makemessages $(LOCALES) --no-obsolete --ignore 'storefront/*'
	$(MAKE) compilemessages

compilemessages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		(cd jsg_privacy && ../$(BIN)/django-admin compilemessages) && \
		(cd example_shop && ../$(BIN)/django-admin compilemessages); \
	else \
		echo "msgfmt is not installed: compiling with polib"; \
		$(BIN)/python -c 'import glob, polib; [polib.pofile(p).save_as_mofile(p[:-2] + "mo") for p in glob.glob("*/locale/*/LC_MESSAGES/*.po")]'; \
	fi

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .venv-* .pytest_cache build *.egg-info
