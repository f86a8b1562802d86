--
-- PostgreSQL database dump
--

\restrict sampledump

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: collection_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_items (
    id integer NOT NULL,
    collection_id integer NOT NULL,
    listing_id integer NOT NULL,
    status character varying(16) DEFAULT 'undecided'::character varying NOT NULL,
    notes text,
    "position" integer,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: collection_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.collection_items_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: collection_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.collection_items_id_seq OWNED BY public.collection_items.id;


--
-- Name: collections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collections (
    id integer NOT NULL,
    user_id integer NOT NULL,
    name character varying(100) NOT NULL,
    description text,
    visibility character varying(16) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: collections_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.collections_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: collections_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.collections_id_seq OWNED BY public.collections.id;


--
-- Name: cpus; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cpus (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    manufacturer character varying(64) NOT NULL,
    cores integer,
    threads integer,
    cpu_mark_multi integer,
    cpu_mark_single integer,
    tdp_w integer,
    release_year integer
);


--
-- Name: cpus_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.cpus_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: cpus_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.cpus_id_seq OWNED BY public.cpus.id;


--
-- Name: gpus; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gpus (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    manufacturer character varying(64) NOT NULL,
    gpu_mark integer,
    metal_score integer
);


--
-- Name: gpus_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.gpus_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: gpus_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.gpus_id_seq OWNED BY public.gpus.id;


--
-- Name: listing_shares; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.listing_shares (
    id integer NOT NULL,
    listing_id integer NOT NULL,
    created_by integer,
    share_token character varying(64) NOT NULL,
    view_count integer DEFAULT 0 NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: listing_shares_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.listing_shares_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: listing_shares_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.listing_shares_id_seq OWNED BY public.listing_shares.id;


--
-- Name: listings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.listings (
    id integer NOT NULL,
    title character varying(255) NOT NULL,
    listing_url text,
    seller character varying(128),
    price_usd numeric(10,2) NOT NULL,
    adjusted_price_usd numeric(10,2),
    condition character varying(32) DEFAULT 'used'::character varying NOT NULL,
    status character varying(32) DEFAULT 'active'::character varying NOT NULL,
    cpu_id integer,
    gpu_id integer,
    ports_profile_id integer,
    ram_gb integer,
    primary_storage_gb integer,
    attributes_json jsonb DEFAULT '{}'::jsonb NOT NULL,
    valuation_breakdown jsonb,
    other_components jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: listings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.listings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: listings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.listings_id_seq OWNED BY public.listings.id;


--
-- Name: ports_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ports_profiles (
    id integer NOT NULL,
    name character varying(128) NOT NULL,
    description text,
    usb_a_count integer DEFAULT 0 NOT NULL,
    usb_c_count integer DEFAULT 0 NOT NULL,
    hdmi_count integer DEFAULT 0 NOT NULL,
    displayport_count integer DEFAULT 0 NOT NULL,
    ethernet_gbps numeric(4,1)
);


--
-- Name: ports_profiles_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ports_profiles_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ports_profiles_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ports_profiles_id_seq OWNED BY public.ports_profiles.id;


--
-- Name: user_shares; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_shares (
    id integer NOT NULL,
    sender_id integer NOT NULL,
    recipient_id integer NOT NULL,
    listing_id integer NOT NULL,
    share_token character varying(64) NOT NULL,
    message text,
    shared_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    viewed_at timestamp with time zone
);


--
-- Name: user_shares_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.user_shares_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: user_shares_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.user_shares_id_seq OWNED BY public.user_shares.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    display_name character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: collection_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_items ALTER COLUMN id SET DEFAULT nextval('public.collection_items_id_seq'::regclass);


--
-- Name: collections id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collections ALTER COLUMN id SET DEFAULT nextval('public.collections_id_seq'::regclass);


--
-- Name: cpus id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cpus ALTER COLUMN id SET DEFAULT nextval('public.cpus_id_seq'::regclass);


--
-- Name: gpus id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gpus ALTER COLUMN id SET DEFAULT nextval('public.gpus_id_seq'::regclass);


--
-- Name: listing_shares id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listing_shares ALTER COLUMN id SET DEFAULT nextval('public.listing_shares_id_seq'::regclass);


--
-- Name: listings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listings ALTER COLUMN id SET DEFAULT nextval('public.listings_id_seq'::regclass);


--
-- Name: ports_profiles id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ports_profiles ALTER COLUMN id SET DEFAULT nextval('public.ports_profiles_id_seq'::regclass);


--
-- Name: user_shares id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares ALTER COLUMN id SET DEFAULT nextval('public.user_shares_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: collection_items collection_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_items
    ADD CONSTRAINT collection_items_pkey PRIMARY KEY (id);


--
-- Name: collections collections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collections
    ADD CONSTRAINT collections_pkey PRIMARY KEY (id);


--
-- Name: cpus cpus_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cpus
    ADD CONSTRAINT cpus_name_key UNIQUE (name);


--
-- Name: cpus cpus_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cpus
    ADD CONSTRAINT cpus_pkey PRIMARY KEY (id);


--
-- Name: gpus gpus_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gpus
    ADD CONSTRAINT gpus_name_key UNIQUE (name);


--
-- Name: gpus gpus_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gpus
    ADD CONSTRAINT gpus_pkey PRIMARY KEY (id);


--
-- Name: listing_shares listing_shares_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listing_shares
    ADD CONSTRAINT listing_shares_pkey PRIMARY KEY (id);


--
-- Name: listing_shares listing_shares_share_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listing_shares
    ADD CONSTRAINT listing_shares_share_token_key UNIQUE (share_token);


--
-- Name: listings listings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listings
    ADD CONSTRAINT listings_pkey PRIMARY KEY (id);


--
-- Name: ports_profiles ports_profiles_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ports_profiles
    ADD CONSTRAINT ports_profiles_name_key UNIQUE (name);


--
-- Name: ports_profiles ports_profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ports_profiles
    ADD CONSTRAINT ports_profiles_pkey PRIMARY KEY (id);


--
-- Name: collection_items uq_collection_item; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_items
    ADD CONSTRAINT uq_collection_item UNIQUE (collection_id, listing_id);


--
-- Name: user_shares user_shares_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares
    ADD CONSTRAINT user_shares_pkey PRIMARY KEY (id);


--
-- Name: user_shares user_shares_share_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares
    ADD CONSTRAINT user_shares_share_token_key UNIQUE (share_token);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: ix_collection_items_collection_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_collection_items_collection_id ON public.collection_items USING btree (collection_id);


--
-- Name: ix_collections_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_collections_user_id ON public.collections USING btree (user_id);


--
-- Name: ix_listing_shares_listing_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_listing_shares_listing_id ON public.listing_shares USING btree (listing_id);


--
-- Name: ix_listing_shares_share_token; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_listing_shares_share_token ON public.listing_shares USING btree (share_token);


--
-- Name: ix_user_shares_sender_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_user_shares_sender_id ON public.user_shares USING btree (sender_id);


--
-- Name: collection_items collection_items_collection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_items
    ADD CONSTRAINT collection_items_collection_id_fkey FOREIGN KEY (collection_id) REFERENCES public.collections(id) ON DELETE CASCADE;


--
-- Name: collection_items collection_items_listing_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_items
    ADD CONSTRAINT collection_items_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.listings(id) ON DELETE CASCADE;


--
-- Name: collections collections_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collections
    ADD CONSTRAINT collections_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: listing_shares listing_shares_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listing_shares
    ADD CONSTRAINT listing_shares_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: listing_shares listing_shares_listing_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listing_shares
    ADD CONSTRAINT listing_shares_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.listings(id) ON DELETE CASCADE;


--
-- Name: listings listings_cpu_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listings
    ADD CONSTRAINT listings_cpu_id_fkey FOREIGN KEY (cpu_id) REFERENCES public.cpus(id);


--
-- Name: listings listings_gpu_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listings
    ADD CONSTRAINT listings_gpu_id_fkey FOREIGN KEY (gpu_id) REFERENCES public.gpus(id);


--
-- Name: listings listings_ports_profile_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.listings
    ADD CONSTRAINT listings_ports_profile_id_fkey FOREIGN KEY (ports_profile_id) REFERENCES public.ports_profiles(id);


--
-- Name: user_shares user_shares_listing_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares
    ADD CONSTRAINT user_shares_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES public.listings(id) ON DELETE CASCADE;


--
-- Name: user_shares user_shares_recipient_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares
    ADD CONSTRAINT user_shares_recipient_id_fkey FOREIGN KEY (recipient_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: user_shares user_shares_sender_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_shares
    ADD CONSTRAINT user_shares_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict sampledump

