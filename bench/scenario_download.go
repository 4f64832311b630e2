package main

import (
	"context"
	"fmt"
	"io"
)

// downloadScenario: FileService/DownloadFile (a server stream of slices)
// against POST /file/url for a download URL, then GET of that URL; C sends
// both to the floor proxy, the GET only if the URL is the upstream's.
type downloadScenario struct{}

func init() { registerStream(downloadScenario{}) }

func (downloadScenario) name() string { return "download" }
func (downloadScenario) describe() string {
	return "FileService/DownloadFile (server stream, binary protobuf) vs POST /api/v4/file/url + GET of the URL"
}

func (s downloadScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	t, err := startTransferRun(ctx, e, s.name())
	if err != nil {
		return streamResult{}, err
	}
	defer t.close()
	var rows []transferRow
	for _, size := range e.o.transferSizes {
		// One file per size, uploaded directly and removed after its cases.
		uri := t.uri("source", int(size>>20))
		progress("download: uploading the %s source file", formatSize(size))
		if err := t.rest.upload(ctx, uri, size, newPattern(size)); err != nil {
			for _, proto := range transferProtocols {
				rows = append(rows, transferRow{direction: "download", protocol: proto.name, size: size, failed: "uploading the source file: " + clip(err.Error())})
			}
			continue
		}
		for p, proto := range transferProtocols {
			progress("download · %s · %s", proto.name, formatSize(size))
			client, closeClient := t.fileClient(p)
			sides := transferSides{
				facade: func(ctx context.Context, _ int) error {
					return downloadViaFacade(ctx, client, uri, size, e.o.skipSHA256)
				},
				direct: func(ctx context.Context, _ int) error {
					n, err := t.rest.download(ctx, uri)
					return wholeFile(n, size, err)
				},
			}
			r := transferRow{direction: "download", protocol: proto.name, size: size}
			floor := t.floorClient(p)
			if floor != nil {
				if r.floorMissing = floorDownloadMissing(ctx, floor, t.up.url, uri); r.floorMissing == "" {
					sides.floor = func(ctx context.Context, _ int) error {
						n, err := downloadViaFloor(ctx, floor, t.up.url, uri, io.Discard)
						return wholeFile(n, size, err)
					}
				}
			}
			r, err := t.measure(ctx, r, sides)
			closeClient()
			if floor != nil {
				floor.close()
			}
			rows = append(rows, r)
			progress("  %s", transferSummary(r))
			if err != nil {
				return transferResult(s.name(), e, rows), err
			}
		}
		if err := t.rest.remove(ctx, uri); err != nil {
			return transferResult(s.name(), e, rows), fmt.Errorf("removing the source file: %w", err)
		}
	}
	return transferResult(s.name(), e, rows), nil
}

// wholeFile is a download's error, or one if it was not size bytes long.
func wholeFile(n, size int64, err error) error {
	if err == nil && n != size {
		err = fmt.Errorf("downloaded %d bytes, want %d", n, size)
	}
	return err
}
