"""The lobby sign-in kiosk: finding a member, confirming, proxies, guests, the personal QR."""
