"""Tables of the official sources (migrant stock, UNHCR, Missing Migrants, remittance flows)."""
