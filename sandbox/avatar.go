package sandbox

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Profile pictures: uploaded as raw bytes, stored as a PNG of at most
// avatarSide pixels a side, served as the image itself.

const (
	avatarMaxBytes = 4 << 20
	avatarSide     = 200
	avatarMaxAge   = "86400"
)

// UpdateProfilePicture is PUT /user/setting/avatar. The body's length must
// be known; an empty body switches to Gravatar.
func (s *cloudreve) UpdateProfilePicture(ctx context.Context, req cloudreveapi.UpdateProfilePictureRequestObject) (cloudreveapi.UpdateProfilePictureResponseObject, error) {
	r := request(ctx)
	u := caller(ctx)
	if r.ContentLength < 0 || r.ContentLength > avatarMaxBytes {
		_, _ = io.Copy(io.Discard, req.Body)
		return nil, fail(upstream.CodeFileTooLarge, "File too large")
	}
	var stored []byte
	if r.ContentLength > 0 {
		raw, err := io.ReadAll(io.LimitReader(req.Body, avatarMaxBytes))
		if err != nil {
			return nil, fail(upstream.CodeIOFailed, "Failed to read the image")
		}
		var img image.Image
		switch ct := r.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "image/jpeg"), strings.HasPrefix(ct, "image/jpg"):
			img, err = jpeg.Decode(bytes.NewReader(raw))
		case strings.HasPrefix(ct, "image/gif"):
			img, err = gif.Decode(bytes.NewReader(raw))
		default:
			img, err = png.Decode(bytes.NewReader(raw))
		}
		if err != nil {
			return nil, fail(upstream.CodeParamError, "Invalid image")
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, fit(img, avatarSide)); err != nil {
			return nil, fail(upstream.CodeIOFailed, "Failed to store the image")
		}
		stored = buf.Bytes()
	}
	u.st.setAvatar(stored)
	return cloudreveapi.UpdateProfilePicture200JSONResponse{}, nil
}

// fit scales an image down (nearest neighbour) so that no side exceeds n.
func fit(src image.Image, n int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= n && h <= n {
		return src
	}
	scale := float64(n) / float64(max(w, h))
	dw, dh := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			dst.Set(x, y, src.At(b.Min.X+x*w/dw, b.Min.Y+y*h/dh))
		}
	}
	return dst
}

// GetProfilePicture is GET /user/avatar/{user_id}: the PNG, a redirect to
// Gravatar, or an empty 404; an unknown user is a JSON 40021.
func (s *cloudreve) GetProfilePicture(ctx context.Context, req cloudreveapi.GetProfilePictureRequestObject) (cloudreveapi.GetProfilePictureResponseObject, error) {
	u, aerr := s.store.userByPathID(req.UserId)
	if aerr != nil {
		return nil, aerr
	}
	if u == nil {
		return nil, fail(upstream.CodeUserNotFound, "User not found")
	}
	f := u.st.snapshot()
	pic, gravatar, updated := f.avatar, f.gravatar, f.updated
	switch {
	case gravatar:
		sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(u.email))))
		loc := "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?d=mm&s=200"
		return cloudreveapi.GetProfilePicture302Response{Headers: cloudreveapi.GetProfilePicture302ResponseHeaders{Location: &loc}}, nil
	case pic == nil:
		return cloudreveapi.GetProfilePicture404Response{}, nil
	}
	w := responseWriter(ctx)
	if w != nil {
		w.Header().Set("Last-Modified", updated.UTC().Format(http.TimeFormat))
		if req.Params.Nocache == nil || !*req.Params.Nocache {
			w.Header().Set("Cache-Control", "public, max-age="+avatarMaxAge)
		}
	}
	return cloudreveapi.GetProfilePicture200ImagepngResponse{Body: bytes.NewReader(pic), ContentLength: int64(len(pic))}, nil
}
