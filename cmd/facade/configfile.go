package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// readConfigFile reads the file named by --config (or FACADE_CONFIG): a
// YAML or JSON mapping from flag names to values. It returns nil when no
// file is named. Unknown names are errors, so a typo never goes unnoticed.
func readConfigFile(set map[string]bool, flags map[string]*string, settings []setting) (map[string]string, error) {
	path := os.Getenv("FACADE_CONFIG")
	if set["config"] {
		path = *flags["config"]
	}
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("--config %s: %w", path, err)
	}
	known := map[string]bool{}
	for _, s := range settings {
		known[s.name] = s.name != "config"
	}
	out := map[string]string{}
	for name, v := range doc {
		if !known[name] {
			return nil, fmt.Errorf("--config %s: unknown setting %q (keys are flag names without the dashes in front)", path, name)
		}
		switch v := v.(type) {
		case string:
			out[name] = v
		case int, int64, uint64, float64, bool:
			out[name] = fmt.Sprint(v)
		case nil:
			out[name] = ""
		default:
			return nil, fmt.Errorf("--config %s: %s must be a single value, not %T", path, name, v)
		}
	}
	return out, nil
}
