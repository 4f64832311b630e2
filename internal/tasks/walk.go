package tasks

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Walk reads one category of the caller's task listing page by page (the
// request names the cursor next_page_token, the answer pagination.next_token),
// handing each page to visit until visit returns false, the last page, or
// maxPages pages. It reports whether it read the listing to its end or visit
// stopped it; false means maxPages cut it short. Errors are upstream's.
func Walk(ctx context.Context, client cloudreveapi.ClientInterface, cat cloudreveapi.ListTaskCategory,
	pageSize, maxPages int, visit func(page int, tasks []cloudreveapi.TaskResponse) bool) (bool, error) {
	params := &cloudreveapi.ListTasksParams{PageSize: pageSize, Category: cat}
	for page := 0; page < maxPages; page++ {
		data, err := upstream.Op[cloudreveapi.TaskListResponse]("listTasks").Decode(client.ListTasks(ctx, params))
		if err != nil {
			return false, err
		}
		if data == nil || !visit(page, data.Tasks) {
			return true, nil
		}
		next := data.Pagination.NextToken
		if next == nil || *next == "" {
			return true, nil
		}
		params.NextPageToken = next
	}
	return false, nil
}
