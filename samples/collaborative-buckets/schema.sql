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
-- Name: bucket_activities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bucket_activities (
    id integer NOT NULL,
    bucket_id integer NOT NULL,
    user_id integer NOT NULL,
    activity_type character varying(50) NOT NULL,
    entity_type character varying(50),
    entity_id character varying(255),
    old_values jsonb,
    new_values jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bucket_activities_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bucket_activities_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bucket_activities_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bucket_activities_id_seq OWNED BY public.bucket_activities.id;


--
-- Name: bucket_notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bucket_notifications (
    id integer NOT NULL,
    user_id integer NOT NULL,
    bucket_id integer NOT NULL,
    activity_id integer,
    notification_type character varying(50) NOT NULL,
    title character varying(255) NOT NULL,
    message text,
    is_read boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bucket_notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bucket_notifications_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bucket_notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bucket_notifications_id_seq OWNED BY public.bucket_notifications.id;


--
-- Name: bucket_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bucket_permissions (
    id integer NOT NULL,
    bucket_id integer NOT NULL,
    user_id integer NOT NULL,
    permission character varying(20) NOT NULL,
    granted_by integer,
    granted_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bucket_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bucket_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bucket_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bucket_permissions_id_seq OWNED BY public.bucket_permissions.id;


--
-- Name: bucket_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bucket_tags (
    id integer NOT NULL,
    bucket_id integer NOT NULL,
    tag_name character varying(100) NOT NULL,
    color character varying(7),
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bucket_tags_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bucket_tags_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bucket_tags_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bucket_tags_id_seq OWNED BY public.bucket_tags.id;


--
-- Name: businesses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.businesses (
    id integer NOT NULL,
    bucket_id integer,
    name character varying(255) NOT NULL,
    address text,
    city character varying(100),
    state character varying(2),
    zip_code character varying(10),
    phone character varying(50),
    website character varying(500),
    vertical character varying(100),
    status character varying(50) DEFAULT 'new'::character varying NOT NULL,
    assigned_to integer,
    score integer,
    enrichment_data jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: businesses_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.businesses_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: businesses_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.businesses_id_seq OWNED BY public.businesses.id;


--
-- Name: collaborative_buckets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaborative_buckets (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    bucket_type character varying(50) NOT NULL,
    bucket_key character varying(255) NOT NULL,
    owner_id integer NOT NULL,
    is_public boolean DEFAULT false NOT NULL,
    is_archived boolean DEFAULT false NOT NULL,
    lead_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: collaborative_buckets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.collaborative_buckets_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: collaborative_buckets_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.collaborative_buckets_id_seq OWNED BY public.collaborative_buckets.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    full_name character varying(255),
    is_active boolean DEFAULT true NOT NULL,
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
-- Name: bucket_activities id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_activities ALTER COLUMN id SET DEFAULT nextval('public.bucket_activities_id_seq'::regclass);


--
-- Name: bucket_notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_notifications ALTER COLUMN id SET DEFAULT nextval('public.bucket_notifications_id_seq'::regclass);


--
-- Name: bucket_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions ALTER COLUMN id SET DEFAULT nextval('public.bucket_permissions_id_seq'::regclass);


--
-- Name: bucket_tags id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_tags ALTER COLUMN id SET DEFAULT nextval('public.bucket_tags_id_seq'::regclass);


--
-- Name: businesses id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.businesses ALTER COLUMN id SET DEFAULT nextval('public.businesses_id_seq'::regclass);


--
-- Name: collaborative_buckets id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborative_buckets ALTER COLUMN id SET DEFAULT nextval('public.collaborative_buckets_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: bucket_activities bucket_activities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_activities
    ADD CONSTRAINT bucket_activities_pkey PRIMARY KEY (id);


--
-- Name: bucket_notifications bucket_notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_notifications
    ADD CONSTRAINT bucket_notifications_pkey PRIMARY KEY (id);


--
-- Name: bucket_permissions bucket_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions
    ADD CONSTRAINT bucket_permissions_pkey PRIMARY KEY (id);


--
-- Name: bucket_tags bucket_tags_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_tags
    ADD CONSTRAINT bucket_tags_pkey PRIMARY KEY (id);


--
-- Name: businesses businesses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.businesses
    ADD CONSTRAINT businesses_pkey PRIMARY KEY (id);


--
-- Name: collaborative_buckets collaborative_buckets_bucket_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborative_buckets
    ADD CONSTRAINT collaborative_buckets_bucket_key_key UNIQUE (bucket_key);


--
-- Name: collaborative_buckets collaborative_buckets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborative_buckets
    ADD CONSTRAINT collaborative_buckets_pkey PRIMARY KEY (id);


--
-- Name: bucket_permissions uq_bucket_user_permission; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions
    ADD CONSTRAINT uq_bucket_user_permission UNIQUE (bucket_id, user_id);


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
-- Name: ix_bucket_activities_bucket_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bucket_activities_bucket_created ON public.bucket_activities USING btree (bucket_id, created_at);


--
-- Name: ix_bucket_notifications_unread; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bucket_notifications_unread ON public.bucket_notifications USING btree (user_id) WHERE (is_read = false);


--
-- Name: ix_bucket_notifications_user_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bucket_notifications_user_created ON public.bucket_notifications USING btree (user_id, created_at);


--
-- Name: ix_bucket_permissions_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bucket_permissions_user_id ON public.bucket_permissions USING btree (user_id);


--
-- Name: ix_bucket_tags_bucket_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bucket_tags_bucket_id ON public.bucket_tags USING btree (bucket_id);


--
-- Name: ix_businesses_bucket_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_businesses_bucket_id ON public.businesses USING btree (bucket_id);


--
-- Name: ix_collaborative_buckets_bucket_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_collaborative_buckets_bucket_key ON public.collaborative_buckets USING btree (bucket_key);


--
-- Name: ix_collaborative_buckets_owner_updated; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_collaborative_buckets_owner_updated ON public.collaborative_buckets USING btree (owner_id, updated_at);


--
-- Name: bucket_activities bucket_activities_bucket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_activities
    ADD CONSTRAINT bucket_activities_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES public.collaborative_buckets(id) ON DELETE CASCADE;


--
-- Name: bucket_activities bucket_activities_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_activities
    ADD CONSTRAINT bucket_activities_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: bucket_notifications bucket_notifications_activity_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_notifications
    ADD CONSTRAINT bucket_notifications_activity_id_fkey FOREIGN KEY (activity_id) REFERENCES public.bucket_activities(id) ON DELETE SET NULL;


--
-- Name: bucket_notifications bucket_notifications_bucket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_notifications
    ADD CONSTRAINT bucket_notifications_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES public.collaborative_buckets(id) ON DELETE CASCADE;


--
-- Name: bucket_notifications bucket_notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_notifications
    ADD CONSTRAINT bucket_notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: bucket_permissions bucket_permissions_bucket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions
    ADD CONSTRAINT bucket_permissions_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES public.collaborative_buckets(id) ON DELETE CASCADE;


--
-- Name: bucket_permissions bucket_permissions_granted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions
    ADD CONSTRAINT bucket_permissions_granted_by_fkey FOREIGN KEY (granted_by) REFERENCES public.users(id);


--
-- Name: bucket_permissions bucket_permissions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_permissions
    ADD CONSTRAINT bucket_permissions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: bucket_tags bucket_tags_bucket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bucket_tags
    ADD CONSTRAINT bucket_tags_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES public.collaborative_buckets(id) ON DELETE CASCADE;


--
-- Name: businesses businesses_assigned_to_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.businesses
    ADD CONSTRAINT businesses_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES public.users(id);


--
-- Name: businesses businesses_bucket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.businesses
    ADD CONSTRAINT businesses_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES public.collaborative_buckets(id) ON DELETE SET NULL;


--
-- Name: collaborative_buckets collaborative_buckets_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborative_buckets
    ADD CONSTRAINT collaborative_buckets_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

\unrestrict sampledump

