# rlvr-eval: the front door. `make help` lists the targets.
GO       ?= go
BIN      := bin/rlvr-eval
PKGS     := ./...
# FUZZTIME is the total fuzzing budget of `make fuzz`, shared by every target.
FUZZTIME ?= 10m

.PHONY: help build demo test test-short bench fuzz lint clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the CLI into bin/
	$(GO) build -o $(BIN) ./cmd/rlvr-eval

demo: build ## generate the synthetic demo corpus, run the pipeline, print the comparison, write out/demo/site
	./$(BIN) demo --out out/demo

test: ## vet and run every test with the race detector; lists the skipped tests at the end
	$(GO) vet $(PKGS)
	$(GO) build -o bin/testsum ./scripts/testsum
	bash -o pipefail -c '$(GO) test -json -race -count=1 -timeout 40m $(PKGS) 2>&1 | bin/testsum'

test-short: ## quick tests, no race detector
	$(GO) test -short -count=1 $(PKGS)

bench: ## benchmarks: grader on one core, grade stream (1 and 2 cores), pipeline, merge, run peak RSS and rate
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./stages/grade/...
	./scripts/bench-grade.sh 80000
	$(GO) test -run '^$$' -bench . -benchmem ./pipeline/...
	$(GO) test -run '^$$' -bench 'Merge' -benchmem ./stages/aggregate/
	RUNS=3 ./scripts/rss.sh big 10 10 "1 2"
	RUNS=3 ./scripts/rss.sh small "300 1200"

fuzz: ## run every fuzz target in turn within FUZZTIME in all (default 10m; compile time extra)
	./scripts/fuzz.sh $(FUZZTIME)

# Lint tools, pinned; `go install` fetches them through the Go module proxy
# into bin/ (versions that build with Go 1.26).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    := golang.org/x/tools/cmd/deadcode@v0.52.0

bin/staticcheck:
	GOBIN=$(CURDIR)/bin $(GO) install $(STATICCHECK)

bin/deadcode:
	GOBIN=$(CURDIR)/bin $(GO) install $(DEADCODE)

lint: bin/staticcheck bin/deadcode ## gofmt, go vet, staticcheck and a dead-code check (scripts/lint.sh)
	BIN=$(CURDIR)/bin GO=$(GO) ./scripts/lint.sh

clean: ## remove build output and demo runs
	rm -rf bin out
