package site

import (
	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// fromConfig converts the site settings; absent fields stay zero.
func fromConfig(c *cloudreveapi.SiteConfig) *sitev1.SiteConfig {
	if c == nil {
		return &sitev1.SiteConfig{}
	}
	out := &sitev1.SiteConfig{
		InstanceId: values.Deref(c.InstanceId), Title: values.Deref(c.Title), Themes: values.Deref(c.Themes), DefaultTheme: values.Deref(c.DefaultTheme),
		User: users.FromUser(c.User), Logo: values.Deref(c.Logo), LogoLight: values.Deref(c.LogoLight),
		CaptchaType: string(values.Deref(c.CaptchaType)), CaptchaRecaptchaKey: values.Deref(c.CaptchaReCaptchaKey),
		TurnstileSiteId: values.Deref(c.TurnstileSiteId), CaptchaCapInstanceUrl: values.Deref(c.CaptchaCapInstanceUrl),
		CaptchaCapSiteKey: values.Deref(c.CaptchaCapSiteKey), CaptchaCapAssetServer: values.Deref(c.CaptchaCapAssetServer),
		AppPromotion: values.Deref(c.AppPromotion), DesktopAppPromotion: values.Deref(c.DesktopAppPromotion),
		LoginCaptcha: values.Deref(c.LoginCaptcha), RegCaptcha: values.Deref(c.RegCaptcha), ForgetCaptcha: values.Deref(c.ForgetCaptcha),
		Authn: values.Deref(c.Authn), RegisterEnabled: values.Deref(c.RegisterEnabled), TosUrl: values.Deref(c.TosUrl),
		PrivacyPolicyUrl: values.Deref(c.PrivacyPolicyUrl), Icons: values.Deref(c.Icons), EmojiPreset: values.Deref(c.EmojiPreset),
		MapProvider: string(values.Deref(c.MapProvider)), GoogleMapTileType: string(values.Deref(c.GoogleMapTileType)),
		MapboxAk: values.Deref(c.MapboxAk), DefaultViewerMapping: values.Deref(c.DefaultViewerMapping),
		MaxBatchSize: int32(values.Deref(c.MaxBatchSize)), ThumbnailWidth: int32(values.Deref(c.ThumbnailWidth)),
		ThumbnailHeight: int32(values.Deref(c.ThumbnailHeight)), ShowEncryptionStatus: values.Deref(c.ShowEncryptionStatus),
		FullTextSearch: values.Deref(c.FullTextSearch), ThumbExts: values.Deref(c.ThumbExts),
		AbuseReportCaptcha: values.Deref(c.AbuseReportCaptcha), SiteNotice: values.Deref(c.SiteNotice), QqEnabled: values.Deref(c.QqEnabled),
		SsoEnabled: values.Deref(c.SsoEnabled), SsoDisplayName: values.Deref(c.SsoDisplayName), SsoIcon: values.Deref(c.SsoIcon),
		OidcEnabled: values.Deref(c.OidcEnabled), OidcDisplayName: values.Deref(c.OidcDisplayName), OidcIcon: values.Deref(c.OidcIcon),
		PointEnabled: values.Deref(c.PointEnabled), SharePointGainRate: values.Deref(c.SharePointGainRate),
		AppFeedback: values.Deref(c.AppFeedback), AppForum: values.Deref(c.AppForum), AnonymousPurchase: values.Deref(c.AnonymousPurchase),
		PointPrice: values.Deref(c.PointPrice), ShopNavEnabled: values.Deref(c.ShopNavEnabled),
	}
	for _, n := range values.Deref(c.CustomNavItems) {
		out.CustomNavItems = append(out.CustomNavItems, &sitev1.CustomNavItem{Icon: n.Icon, Name: n.Name, Url: n.Url})
	}
	if h := c.CustomHtml; h != nil {
		out.CustomHtml = &sitev1.CustomHtml{HeadlessFooter: values.Deref(h.HeadlessFooter), HeadlessBottom: values.Deref(h.HeadlessBottom), SidebarBottom: values.Deref(h.SidebarBottom)}
	}
	for _, g := range values.Deref(c.FileViewers) {
		fv := &sitev1.FileViewer{}
		for _, v := range g.Viewers {
			fv.Viewers = append(fv.Viewers, fromViewer(v))
		}
		out.FileViewers = append(out.FileViewers, fv)
	}
	for _, p := range values.Deref(c.CustomProps) {
		out.CustomProps = append(out.CustomProps, &sitev1.CustomProps{
			Id: p.Id, Name: p.Name, Type: string(p.Type), Max: int32(values.Deref(p.Max)), Min: int32(values.Deref(p.Min)),
			Default: values.Deref(p.Default), Options: values.Deref(p.Options), Icon: values.Deref(p.Icon),
		})
	}
	if p := c.Payment; p != nil {
		ps := &sitev1.PaymentSetting{CurrencyCode: p.CurrencyCode, CurrencyMark: p.CurrencyMark, CurrencyUnit: int32(p.CurrencyUnit)}
		for _, pr := range p.Providers {
			ps.Providers = append(ps.Providers, &sitev1.PaymentProvider{Id: pr.Id, Name: pr.Name, Type: string(values.Deref(pr.Type))})
		}
		out.Payment = ps
	}
	for _, p := range values.Deref(c.StorageProducts) {
		out.StorageProducts = append(out.StorageProducts, &sitev1.StorageProduct{
			Id: p.Id, Name: p.Name, Size: p.Size, Time: p.Time, Price: p.Price, Chip: values.Deref(p.Chip), Points: values.Deref(p.Points),
		})
	}
	for _, g := range values.Deref(c.GroupSkus) {
		out.GroupSkus = append(out.GroupSkus, &sitev1.GroupSku{
			Id: g.Id, Name: g.Name, Time: g.Time, Price: g.Price, Chip: values.Deref(g.Chip), Points: values.Deref(g.Points), Des: values.Deref(g.Des),
		})
	}
	return out
}

// fromViewer converts a viewer; WOPI action maps are not part of the
// contract (the upstream strips them from the site settings).
func fromViewer(v cloudreveapi.Viewer) *sitev1.Viewer {
	out := &sitev1.Viewer{
		Id: v.Id, Type: string(v.Type), DisplayName: v.DisplayName, Exts: v.Exts, Url: values.Deref(v.Url), Icon: values.Deref(v.Icon),
		Props: values.Deref(v.Props), MaxSize: values.Deref(v.MaxSize), Disabled: values.Deref(v.Disabled), Platform: values.Deref(v.Platform),
	}
	for _, t := range values.Deref(v.Templates) {
		out.Templates = append(out.Templates, &sitev1.NewFileTemplate{Ext: t.Ext, DisplayName: t.DisplayName})
	}
	for _, bit := range values.Deref(v.RequiredGroupPermission) {
		out.RequiredGroupPermission = append(out.RequiredGroupPermission, int32(bit))
		if p, named := users.Permission(bit); named {
			out.RequiredPermissions = append(out.RequiredPermissions, p)
		}
	}
	return out
}
