.PHONY: run generate check-generated test

# Start the facade (embedded NATS, in-process sandbox Cloudreve).
run:
	go run ./cmd/facade

# Regenerate everything under gen/ from openapi/ and proto/.
generate:
	go generate ./...

check-generated:
	scripts/check-generated.sh

# Install what the tests need and run them all.
test:
	scripts/test.sh
