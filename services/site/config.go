package site

import (
	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/internal/users"
)

// fromConfig converts the site settings; absent fields stay zero.
func fromConfig(c *cloudreveapi.SiteConfig) *sitev1.SiteConfig {
	if c == nil {
		return &sitev1.SiteConfig{}
	}
	out := &sitev1.SiteConfig{
		InstanceId: deref(c.InstanceId), Title: deref(c.Title), Themes: deref(c.Themes), DefaultTheme: deref(c.DefaultTheme),
		User: users.FromUser(c.User), Logo: deref(c.Logo), LogoLight: deref(c.LogoLight),
		CaptchaType: string(deref(c.CaptchaType)), CaptchaRecaptchaKey: deref(c.CaptchaReCaptchaKey),
		TurnstileSiteId: deref(c.TurnstileSiteId), CaptchaCapInstanceUrl: deref(c.CaptchaCapInstanceUrl),
		CaptchaCapSiteKey: deref(c.CaptchaCapSiteKey), CaptchaCapAssetServer: deref(c.CaptchaCapAssetServer),
		AppPromotion: deref(c.AppPromotion), DesktopAppPromotion: deref(c.DesktopAppPromotion),
		LoginCaptcha: deref(c.LoginCaptcha), RegCaptcha: deref(c.RegCaptcha), ForgetCaptcha: deref(c.ForgetCaptcha),
		Authn: deref(c.Authn), RegisterEnabled: deref(c.RegisterEnabled), TosUrl: deref(c.TosUrl),
		PrivacyPolicyUrl: deref(c.PrivacyPolicyUrl), Icons: deref(c.Icons), EmojiPreset: deref(c.EmojiPreset),
		MapProvider: string(deref(c.MapProvider)), GoogleMapTileType: string(deref(c.GoogleMapTileType)),
		MapboxAk: deref(c.MapboxAk), DefaultViewerMapping: deref(c.DefaultViewerMapping),
		MaxBatchSize: int32(deref(c.MaxBatchSize)), ThumbnailWidth: int32(deref(c.ThumbnailWidth)),
		ThumbnailHeight: int32(deref(c.ThumbnailHeight)), ShowEncryptionStatus: deref(c.ShowEncryptionStatus),
		FullTextSearch: deref(c.FullTextSearch), ThumbExts: deref(c.ThumbExts),
		AbuseReportCaptcha: deref(c.AbuseReportCaptcha), SiteNotice: deref(c.SiteNotice), QqEnabled: deref(c.QqEnabled),
		SsoEnabled: deref(c.SsoEnabled), SsoDisplayName: deref(c.SsoDisplayName), SsoIcon: deref(c.SsoIcon),
		OidcEnabled: deref(c.OidcEnabled), OidcDisplayName: deref(c.OidcDisplayName), OidcIcon: deref(c.OidcIcon),
		PointEnabled: deref(c.PointEnabled), SharePointGainRate: deref(c.SharePointGainRate),
		AppFeedback: deref(c.AppFeedback), AppForum: deref(c.AppForum), AnonymousPurchase: deref(c.AnonymousPurchase),
		PointPrice: deref(c.PointPrice), ShopNavEnabled: deref(c.ShopNavEnabled),
	}
	for _, n := range deref(c.CustomNavItems) {
		out.CustomNavItems = append(out.CustomNavItems, &sitev1.CustomNavItem{Icon: n.Icon, Name: n.Name, Url: n.Url})
	}
	if h := c.CustomHtml; h != nil {
		out.CustomHtml = &sitev1.CustomHtml{HeadlessFooter: deref(h.HeadlessFooter), HeadlessBottom: deref(h.HeadlessBottom), SidebarBottom: deref(h.SidebarBottom)}
	}
	for _, g := range deref(c.FileViewers) {
		fv := &sitev1.FileViewer{}
		for _, v := range g.Viewers {
			fv.Viewers = append(fv.Viewers, fromViewer(v))
		}
		out.FileViewers = append(out.FileViewers, fv)
	}
	for _, p := range deref(c.CustomProps) {
		out.CustomProps = append(out.CustomProps, &sitev1.CustomProps{
			Id: p.Id, Name: p.Name, Type: string(p.Type), Max: int32(deref(p.Max)), Min: int32(deref(p.Min)),
			Default: deref(p.Default), Options: deref(p.Options), Icon: deref(p.Icon),
		})
	}
	if p := c.Payment; p != nil {
		ps := &sitev1.PaymentSetting{CurrencyCode: p.CurrencyCode, CurrencyMark: p.CurrencyMark, CurrencyUnit: int32(p.CurrencyUnit)}
		for _, pr := range p.Providers {
			ps.Providers = append(ps.Providers, &sitev1.PaymentProvider{Id: pr.Id, Name: pr.Name, Type: string(deref(pr.Type))})
		}
		out.Payment = ps
	}
	for _, p := range deref(c.StorageProducts) {
		out.StorageProducts = append(out.StorageProducts, &sitev1.StorageProduct{
			Id: p.Id, Name: p.Name, Size: p.Size, Time: p.Time, Price: p.Price, Chip: deref(p.Chip), Points: deref(p.Points),
		})
	}
	for _, g := range deref(c.GroupSkus) {
		out.GroupSkus = append(out.GroupSkus, &sitev1.GroupSku{
			Id: g.Id, Name: g.Name, Time: g.Time, Price: g.Price, Chip: deref(g.Chip), Points: deref(g.Points), Des: deref(g.Des),
		})
	}
	return out
}

// fromViewer converts a viewer; WOPI action maps are not part of the
// contract (the upstream strips them from the site settings).
func fromViewer(v cloudreveapi.Viewer) *sitev1.Viewer {
	out := &sitev1.Viewer{
		Id: v.Id, Type: string(v.Type), DisplayName: v.DisplayName, Exts: v.Exts, Url: deref(v.Url), Icon: deref(v.Icon),
		Props: deref(v.Props), MaxSize: deref(v.MaxSize), Disabled: deref(v.Disabled), Platform: deref(v.Platform),
	}
	for _, t := range deref(v.Templates) {
		out.Templates = append(out.Templates, &sitev1.NewFileTemplate{Ext: t.Ext, DisplayName: t.DisplayName})
	}
	for _, p := range deref(v.RequiredGroupPermission) {
		out.RequiredGroupPermission = append(out.RequiredGroupPermission, int32(p))
	}
	return out
}
