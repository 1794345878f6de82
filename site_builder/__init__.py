"""Turn Chinese local-government income plans into a static public-information site."""
